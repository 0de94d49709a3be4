package dev.lifeboat.objectstore;

import java.util.List;

/** One page of a listing; {@code nextPageToken} is null on the last page. */
public record ObjectPage(List<ObjectInfo> objects, String nextPageToken) {

  public ObjectPage {
    objects = List.copyOf(objects);
  }
}
