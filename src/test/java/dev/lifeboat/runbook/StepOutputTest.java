package dev.lifeboat.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The output of a chatty step stays within its cap and says how much was cut, and where. */
class StepOutputTest {

  @Test
  void keepsTheStartAndTheEndAndMarksWhatWasCut() {
    StepOutput output = new StepOutput();
    String padding = "x".repeat(90);
    int lines = 100_000; // ~9.6 MB printed
    for (int i = 0; i < lines; i++) {
      output.append(String.format("%06d %s", i, padding));
    }
    String text = output.text();
    long lineBytes = 6 + 1 + 90 + 1;
    assertThat(output.printedBytes()).isEqualTo(lines * lineBytes);
    assertThat(StepOutput.utf8Length(text))
        .isLessThanOrEqualTo(StepOutput.HEAD_BYTES + StepOutput.TAIL_BYTES + 100);
    assertThat(text).startsWith("000000 x");
    assertThat(text).endsWith(String.format("%06d %s%n", lines - 1, padding).replace(System.lineSeparator(), "\n"));
    long keptHead = StepOutput.HEAD_BYTES / lineBytes;
    long keptTail = StepOutput.TAIL_BYTES / lineBytes;
    long cut = (lines - keptHead - keptTail) * lineBytes;
    assertThat(text).contains("\n[... " + cut + " bytes cut ...]\n");
    assertThat(text).contains(String.format("%06d ", keptHead - 1)).doesNotContain(String.format("%06d ", keptHead) + "x");
    assertThat(text).contains(String.format("%06d ", lines - keptTail));
    assertThat(text).doesNotContain(String.format("%06d ", lines - keptTail - 1) + "x");
  }

  @Test
  void smallOutputIsKeptWholeWithoutAMarker() {
    StepOutput output = new StepOutput();
    output.append("a");
    output.append("b\r\nc\n");
    output.append("");
    assertThat(output.text()).isEqualTo("a\nb\nc\n");
    assertThat(output.printedBytes()).isEqualTo(6);
  }

  @Test
  void oneHugeLineIsShortenedAndCountedInBytes() {
    StepOutput output = new StepOutput();
    output.append("é".repeat(StepOutput.LINE_CHARS + 10));
    String text = output.text();
    assertThat(text).startsWith("é".repeat(StepOutput.LINE_CHARS) + " [... 20 bytes cut ...]");
    assertThat(output.printedBytes()).isEqualTo(2L * (StepOutput.LINE_CHARS + 10) + 1);
  }

  @Test
  void nulCharactersWhichPostgresqlRefusesAreReplaced() {
    StepOutput output = new StepOutput();
    output.append("binary\u0000junk");
    assertThat(output.text()).isEqualTo("binary\uFFFDjunk\n");
  }
}
