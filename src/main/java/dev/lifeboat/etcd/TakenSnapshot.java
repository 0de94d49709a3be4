package dev.lifeboat.etcd;

import dev.lifeboat.catalog.StagedArchive;

/** A snapshot streamed into a staged archive, with the metadata written into it. */
record TakenSnapshot(StagedArchive archive, SnapshotMetadata metadata) {}
