package dev.lifeboat.web;

import org.springframework.web.util.UriComponentsBuilder;

/** Links to the other pages of a filtered list keep the filters. */
final class Paging {

  private Paging() {}

  /** The list's URL with the non-empty filters, ready for "page=N" to be appended. */
  static String url(String path, Object... filters) {
    UriComponentsBuilder builder = UriComponentsBuilder.fromPath(path);
    for (int i = 0; i < filters.length; i += 2) {
      if (filters[i + 1] != null && !String.valueOf(filters[i + 1]).isBlank()) {
        builder.queryParam((String) filters[i], filters[i + 1]);
      }
    }
    String url = builder.encode().toUriString();
    return url + (url.contains("?") ? "&" : "?");
  }
}
