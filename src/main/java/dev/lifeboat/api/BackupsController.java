package dev.lifeboat.api;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@Validated
@RequestMapping("/api/backups")
class BackupsController {

  private final BackupCatalog catalog;
  private final BackupService backups;

  BackupsController(BackupCatalog catalog, BackupService backups) {
    this.catalog = catalog;
    this.backups = backups;
  }

  @GetMapping
  List<Backup> list(
      @RequestParam(required = false) String kind,
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
      @RequestParam(defaultValue = "0") @Min(0) int offset) {
    return catalog.list(kind, limit, offset);
  }

  @GetMapping("/{id}")
  Backup get(@PathVariable String id) {
    return backups.get(id);
  }

  /** The archive as stored; its sha256 is in the X-Checksum-Sha256 header and the catalogue. */
  @GetMapping("/{id}/content")
  ResponseEntity<StreamingResponseBody> content(@PathVariable String id, Principal user) throws IOException {
    return Downloads.response(backups.download(id, user.getName()));
  }

  /**
   * Upload an archive as the raw request body ({@code curl --data-binary @file.tar.gz}). With
   * {@code sha256} the transfer is checked too. The archive itself is always verified.
   */
  @PostMapping(consumes = MediaType.ALL_VALUE)
  ResponseEntity<Backup> upload(
      HttpServletRequest request,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String sha256,
      Principal user) throws IOException {
    Backup backup = backups.upload(request.getInputStream(), kind, sha256, user.getName());
    return ResponseEntity.created(URI.create("/api/backups/" + backup.id())).body(backup);
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable String id, Principal user) throws IOException {
    backups.delete(id, user.getName());
    return ResponseEntity.noContent().build();
  }
}
