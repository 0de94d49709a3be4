package dev.lifeboat.web;

import dev.lifeboat.api.Downloads;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupConflictException;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.catalog.InvalidBackupException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The backup catalogue: list, details, download, verified upload, delete after a confirmation. */
@Controller
class BackupPages {

  private static final int PAGE_SIZE = 25;

  private final BackupCatalog catalog;
  private final BackupService backups;

  BackupPages(BackupCatalog catalog, BackupService backups) {
    this.catalog = catalog;
    this.backups = backups;
  }

  @GetMapping("/backups")
  String list(@RequestParam(required = false) String kind, @RequestParam(defaultValue = "0") int page, Model model) {
    int current = Math.max(0, page);
    String kindFilter = kind == null || kind.isBlank() ? null : kind;
    List<Backup> found = catalog.list(kindFilter, PAGE_SIZE + 1, current * PAGE_SIZE);
    model.addAttribute("backups", found.subList(0, Math.min(PAGE_SIZE, found.size())));
    model.addAttribute("hasNext", found.size() > PAGE_SIZE);
    model.addAttribute("page", current);
    model.addAttribute("kind", kindFilter);
    model.addAttribute("uploadKinds", backups.uploadKinds());
    model.addAttribute("pageUrl", Paging.url("/backups", "kind", kindFilter));
    return "backups";
  }

  @GetMapping("/backups/{id}")
  String backup(@PathVariable String id, Model model) {
    model.addAttribute("backup", backups.get(id));
    return "backup";
  }

  @GetMapping("/backups/{id}/content")
  ResponseEntity<StreamingResponseBody> download(@PathVariable String id, Principal user) throws IOException {
    return Downloads.response(backups.download(id, user.getName()));
  }

  @PostMapping("/backups")
  String upload(@RequestParam("archive") MultipartFile archive, @RequestParam(required = false) String kind,
      @RequestParam(required = false) String sha256, Principal user, RedirectAttributes redirect,
      HttpServletResponse response, Model model) throws IOException {
    String expected = sha256 == null || sha256.isBlank() ? null : sha256.strip().toLowerCase(java.util.Locale.ROOT);
    try (InputStream in = archive.getInputStream()) {
      Backup backup = backups.upload(in, kind, expected, user.getName());
      redirect.addFlashAttribute("notice", "Backup " + backup.id() + " uploaded and verified.");
      return "redirect:/backups/" + backup.id();
    } catch (InvalidBackupException | BackupConflictException e) {
      response.setStatus(e instanceof BackupConflictException ? HttpStatus.CONFLICT.value() : HttpStatus.BAD_REQUEST.value());
      model.addAttribute("uploadError", "Refused: " + e.getMessage());
      return list(null, 0, model);
    }
  }

  /** Deleting cannot be undone, so it first asks, naming the backup. */
  @GetMapping("/backups/{id}/delete")
  String confirmDelete(@PathVariable String id, Model model) {
    model.addAttribute("backup", backups.get(id));
    return "backup-delete";
  }

  @PostMapping("/backups/{id}/delete")
  String delete(@PathVariable String id, Principal user, RedirectAttributes redirect) throws IOException {
    backups.delete(id, user.getName());
    redirect.addFlashAttribute("notice", "Backup " + id + " deleted.");
    return "redirect:/backups";
  }
}
