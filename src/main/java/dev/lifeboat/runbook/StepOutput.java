package dev.lifeboat.runbook;

import java.util.ArrayDeque;

/**
 * The command output of a step, capped: the first {@value #HEAD_BYTES} bytes and the last
 * {@value #TAIL_BYTES} bytes (UTF-8) are kept, with one {@code [... N bytes cut ...]} line between
 * them for what was dropped. The start says what ran, the end how it ended; a chatty tool's middle
 * is what goes. A single line longer than {@value #LINE_CHARS} characters is shortened the same way.
 * Not thread-safe: {@link StepContext} guards it.
 */
final class StepOutput {

  static final int HEAD_BYTES = 64 * 1024;
  static final int TAIL_BYTES = 192 * 1024;
  static final int LINE_CHARS = 8 * 1024;

  private final StringBuilder head = new StringBuilder();
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private long headBytes;
  private long tailBytes;
  private long cutBytes;
  private long printedBytes;
  private boolean headFull;
  private String previous;
  private String attemptMarker;

  StepOutput() {}

  /**
   * Continues what earlier attempts of the step printed: their output comes first, then a
   * {@code --- attempt N ---} line, once this attempt prints anything.
   */
  StepOutput(String previous, long previousPrinted, int attempt) {
    if (previous != null && !previous.isEmpty()) {
      this.previous = previous;
      this.attemptMarker = "--- attempt " + attempt + " ---";
      this.printedBytes = previousPrinted;
    }
  }

  /** Appends one or more lines (line breaks split them; NUL characters, which PostgreSQL refuses, become U+FFFD). */
  void append(String text) {
    if (text == null) {
      return;
    }
    text.lines().forEach(line -> {
      if (previous != null) {
        String earlier = previous;
        previous = null;
        earlier.lines().forEach(this::keep);
        keep(attemptMarker);
      }
      printedBytes += utf8Length(line) + 1;
      keep(line);
    });
  }

  /** Bytes of output received (each line with its line break), cut ones included; 0 if none. */
  long printedBytes() {
    return printedBytes;
  }

  boolean isEmpty() {
    return head.isEmpty() && tail.isEmpty();
  }

  String text() {
    StringBuilder text = new StringBuilder(head);
    if (cutBytes > 0) {
      text.append("[... ").append(cutBytes).append(" bytes cut ...]\n");
    }
    for (String line : tail) {
      text.append(line).append('\n');
    }
    return text.toString();
  }

  private void keep(String raw) {
    String line = shorten(raw.replace('\u0000', '\uFFFD'));
    long bytes = utf8Length(line) + 1;
    if (!headFull && headBytes + bytes <= HEAD_BYTES) {
      head.append(line).append('\n');
      headBytes += bytes;
      return;
    }
    headFull = true;
    tail.addLast(line);
    tailBytes += bytes;
    while (tailBytes > TAIL_BYTES) {
      long dropped = utf8Length(tail.removeFirst()) + 1;
      tailBytes -= dropped;
      cutBytes += dropped;
    }
  }

  private static String shorten(String line) {
    if (line.length() <= LINE_CHARS) {
      return line;
    }
    int end = Character.isHighSurrogate(line.charAt(LINE_CHARS - 1)) ? LINE_CHARS - 1 : LINE_CHARS;
    String kept = line.substring(0, end);
    return kept + " [... " + (utf8Length(line) - utf8Length(kept)) + " bytes cut ...]";
  }

  static int utf8Length(CharSequence text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
