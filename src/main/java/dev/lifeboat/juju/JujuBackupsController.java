package dev.lifeboat.juju;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupService;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The catalogue's Juju controller backups answering as {@code juju backups list/info/download/
 * upload/remove} did (procedure 001, "Managing Backups"): the same words, as text, so scripts that
 * read juju's output keep working. The JSON form of the same entries is {@code /api/backups}.
 */
@RestController
@RequestMapping("/api/juju/backups")
class JujuBackupsController {

  private static final MediaType TEXT = new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);
  private static final DateTimeFormatter GO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS").withZone(ZoneOffset.UTC);

  private final BackupCatalog catalog;
  private final BackupService backups;

  JujuBackupsController(BackupCatalog catalog, BackupService backups) {
    this.catalog = catalog;
    this.backups = backups;
  }

  /** {@code juju backups list [--brief]}: metadata blocks separated by blank lines, or ids only. */
  @GetMapping
  ResponseEntity<String> list(@RequestParam(defaultValue = "false") boolean brief) {
    List<Backup> all = catalog.list(JujuArchive.KIND, 1000, 0);
    if (all.isEmpty()) {
      return text("(no backups found)\n");
    }
    List<String> blocks = new ArrayList<>();
    for (Backup backup : all.reversed()) {
      blocks.add(brief ? backup.id() + "\n" : info(backup));
    }
    return text(String.join(brief ? "" : "\n", blocks));
  }

  /** {@code juju backups info <ID>}: the metadata block, then the bare id. */
  @GetMapping("/{id}")
  ResponseEntity<String> info(@PathVariable String id) {
    Backup backup = jujuBackup(id);
    return text(info(backup) + backup.id() + "\n");
  }

  /** {@code juju backups download <ID>}: the archive, named as juju named it. */
  @GetMapping("/{id}/content")
  ResponseEntity<StreamingResponseBody> download(@PathVariable String id, Principal user) throws IOException {
    Backup backup = jujuBackup(id);
    InputStream in = backups.plaintextContent(id, user.getName());
    StreamingResponseBody body = out -> {
      try (in) {
        in.transferTo(out);
      }
    };
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/gzip"))
        .contentLength(backup.size())
        .header(HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename("juju-backup-" + backup.id() + ".tar.gz").build().toString())
        .header("X-Checksum-Sha256", backup.sha256())
        .body(body);
  }

  /** {@code juju backups upload <file>}: a gzipped tar in Juju's layout; answers the new id. */
  @PostMapping(consumes = MediaType.ALL_VALUE)
  ResponseEntity<String> upload(HttpServletRequest request, Principal user) throws IOException {
    Backup backup = backups.upload(request.getInputStream(), JujuArchive.KIND, null, user.getName());
    return ResponseEntity.created(URI.create("/api/juju/backups/" + backup.id())).contentType(TEXT)
        .body(backup.id() + "\n");
  }

  /** {@code juju backups remove <ID>}. */
  @DeleteMapping("/{id}")
  ResponseEntity<String> remove(@PathVariable String id, Principal user) throws IOException {
    jujuBackup(id);
    backups.delete(id, user.getName());
    return text("successfully removed: " + id + "\n");
  }

  private Backup jujuBackup(String id) {
    Backup backup = backups.get(id);
    if (!JujuArchive.KIND.equals(backup.kind())) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND,
          "backup " + id + " is a " + backup.kind() + ", not a Juju controller backup");
    }
    return backup;
  }

  /** The 1.x block: labels padded to 17 columns, strings quoted, Go times. */
  static String info(Backup backup) {
    Map<String, Object> m = backup.metadata() == null ? Map.of() : backup.metadata();
    StringBuilder text = new StringBuilder();
    line(text, "backup ID:", quote(backup.id()));
    line(text, "checksum:", quote(m.get("checksum")));
    line(text, "checksum format:", quote(m.getOrDefault("checksumFormat", JujuControllerBackupService.CHECKSUM_FORMAT)));
    line(text, "size (B):", String.valueOf(backup.size()));
    line(text, "stored:", goTime(backup.createdAt()));
    line(text, "started:", goTime(backup.startedAt()));
    line(text, "finished:", goTime(backup.finishedAt()));
    line(text, "notes:", quote(m.getOrDefault("notes", backup.notes() == null ? "" : backup.notes())));
    if (m.containsKey("environmentUuid")) {
      line(text, "environment ID:", quote(m.get("environmentUuid")));
    } else {
      line(text, "model ID:", quote(m.get("modelUuid")));
    }
    if (m.containsKey("controllerUuid")) {
      line(text, "controller UUID:", quote(m.get("controllerUuid")));
    }
    line(text, "machine ID:", quote(m.get("machine")));
    line(text, "created on host:", quote(m.get("hostname")));
    line(text, "juju version:", String.valueOf(m.get("jujuVersion")));
    if (m.containsKey("series")) {
      line(text, "series:", String.valueOf(m.get("series")));
    }
    if (m.containsKey("base")) {
      line(text, "base:", String.valueOf(m.get("base")));
    }
    if (m.containsKey("haNodes")) {
      line(text, "controllers in HA:", String.valueOf(m.get("haNodes")));
    }
    return text.toString();
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format("%-17s%s", label, value).stripTrailing()).append('\n');
  }

  private static String quote(Object value) {
    String text = value == null ? "" : value.toString();
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Go's %v of a UTC time; trailing zeros of the fraction dropped, as Go does. */
  static String goTime(Instant at) {
    if (at == null) {
      return "0001-01-01 00:00:00 +0000 UTC";
    }
    String text = GO_TIME.format(at).replaceAll("0+$", "");
    return (text.endsWith(".") ? text.substring(0, text.length() - 1) : text) + " +0000 UTC";
  }

  private static ResponseEntity<String> text(String body) {
    return ResponseEntity.ok().contentType(TEXT).body(body);
  }
}
