package dev.lifeboat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Package boundaries: capability packages form no cycle, and the shared ones (everything but the
 * runbook packages of a platform) never depend on a platform, nor name one in their code.
 */
class ArchitectureTest {

  /** Runbook packages of a platform: nothing shared may know them. */
  static final List<String> PLATFORMS = List.of("etcd", "juju", "deis");
  /** Packages that see everything by design: the HTTP API, the web pages and the audit trail's listeners. */
  static final List<String> EDGES = List.of("api", "web", "audit");

  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.lifeboat");

  @Test
  void capabilityPackagesFormNoCycle() {
    slices().matching("dev.lifeboat.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void sharedPackagesNeverDependOnAPlatform() {
    for (String platform : PLATFORMS) {
      noClasses().that().resideOutsideOfPackages(PLATFORMS.stream().map(p -> "dev.lifeboat." + p + "..")
              .toArray(String[]::new))
          .and().resideOutsideOfPackage("dev.lifeboat")
          .should().dependOnClassesThat().resideInAPackage("dev.lifeboat." + platform + "..")
          .allowEmptyShould(true)
          .check(CLASSES);
    }
  }

  /** A string literal such as "etcd-snapshot" in shared code is a platform decision in the wrong place. */
  @Test
  void sharedPackagesDoNotNamePlatformsInTheirCode() throws IOException {
    Pattern literal = Pattern.compile("(?<!\\\\)\"(" + String.join("|", PLATFORMS) + ")[^\"]*\"");
    List<String> found = new ArrayList<>();
    Path root = Path.of("src/main/java/dev/lifeboat");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String top = root.relativize(file).getName(0).toString();
        if (PLATFORMS.contains(top) || top.equals("credentials")) {
          continue; // credentials: the kinds of credentials are a registry, etcd-client among them
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) {
            continue;
          }
          Matcher m = literal.matcher(line);
          if (m.find()) {
            found.add(root.relativize(file) + ":" + (i + 1) + ": " + m.group());
          }
        }
      }
    }
    assertThat(found).as("platform names in shared packages").isEmpty();
  }
}
