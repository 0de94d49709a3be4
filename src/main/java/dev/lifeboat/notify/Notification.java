package dev.lifeboat.notify;

import java.time.Instant;
import java.util.Map;

/**
 * What is sent: {@code text} for people (and chat tools), the event, and what it is about. Never a
 * secret: no run parameters, no evidence, only names, ids and links.
 */
public record Notification(String text, String event, String runId, String runbook, String kind, String source,
    String schedule, Map<String, String> links, Instant at) {}
