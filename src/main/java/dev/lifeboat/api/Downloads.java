package dev.lifeboat.api;

import dev.lifeboat.catalog.BackupDownload;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** A backup download as an HTTP response, the same for the API and the web pages. */
public final class Downloads {

  private Downloads() {}

  public static ResponseEntity<StreamingResponseBody> response(BackupDownload download) {
    ResponseEntity.BodyBuilder response = ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(download.contentType()))
        .header(HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(download.fileName()).build().toString());
    if (download.length() != null) {
      response.contentLength(download.length());
    }
    if (download.sha256() != null) {
      response.header("X-Checksum-Sha256", download.sha256());
    }
    return response.body(download.body()::writeTo);
  }
}
