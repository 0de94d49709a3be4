package dev.lifeboat.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake passes the same contract as the real store, and pages its listings. */
class InMemoryObjectStoreTest extends ObjectStoreContract {

  private InMemoryObjectStore store;

  @BeforeEach
  void create() throws IOException {
    store = new InMemoryObjectStore(2);
    store.createBucket("bucket");
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Override
  String bucket() {
    return "bucket";
  }

  @Test
  void listingsComeInPages() throws IOException {
    for (int i = 0; i < 5; i++) {
      store.put("bucket", "p/" + i, new ByteArrayInputStream(new byte[i]), i);
    }
    ObjectPage first = store.list("bucket", "p/", null);
    assertThat(first.objects()).extracting(ObjectInfo::key).containsExactly("p/0", "p/1");
    ObjectPage second = store.list("bucket", "p/", first.nextPageToken());
    assertThat(second.objects()).extracting(ObjectInfo::key).containsExactly("p/2", "p/3");
    assertThat(store.listAll("bucket", "p/")).hasSize(5);
  }
}
