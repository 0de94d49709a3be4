package dev.lifeboat.etcd;

import dev.lifeboat.catalog.StagedArchive;

/**
 * A snapshot streamed into a staged archive, with the metadata written into it; {@code copy} is the
 * copy sent to a restore's target meanwhile (null when none was asked for, or it was dropped
 * because of {@code copyProblem}).
 */
record TakenSnapshot(StagedArchive archive, SnapshotMetadata metadata, SnapshotOnHost.Copy copy, String copyProblem) {}
