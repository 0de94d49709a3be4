package dev.lifeboat.runbook;

/** What changed on a running step since it was last written; {@code null} parts are unchanged. */
record StepReport(String message, Progress progress, String output, Long outputBytes) {}
