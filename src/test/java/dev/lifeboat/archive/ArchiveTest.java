package dev.lifeboat.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchiveTest {

  @Test
  void writtenArchiveReadsBack() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveWriter writer = new ArchiveWriter(out, 6);
    byte[] data = "snapshot bytes".repeat(1000).getBytes(StandardCharsets.UTF_8);
    try (OutputStream entry = writer.entry("snapshot.db", data.length)) {
      entry.write(data, 0, 100);
      entry.write(data, 100, data.length - 100);
    }
    writer.finishWith("metadata.json", "{}".getBytes(StandardCharsets.UTF_8));

    byte[] archive = out.toByteArray();
    try (ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(archive))) {
      ArchiveReader.Entry first = reader.next();
      assertThat(first.name()).isEqualTo("snapshot.db");
      assertThat(first.content().readAllBytes()).isEqualTo(data);
      assertThat(reader.next().name()).isEqualTo("metadata.json");
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void pathsEscapingTheArchiveAreRefused() {
    for (String name : new String[] {"/etc/passwd", "../x", "a/../../x", "..\\x", "C:\\windows", "a\0b", ""}) {
      assertThatThrownBy(() -> ArchivePaths.checkedEntryName(name)).as(name).isInstanceOf(UnsafeArchiveException.class);
    }
    assertThat(ArchivePaths.checkedEntryName("dir/snapshot.db")).isEqualTo("dir/snapshot.db");
    assertThat(ArchivePaths.checkedEntryName("a..b")).isEqualTo("a..b");
  }

  @Test
  void garbageIsNotAnArchive() {
    assertThatThrownBy(() -> new ArchiveReader(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(Exception.class);
  }
}
