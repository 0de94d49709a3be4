package dev.lifeboat.objectstore;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An object being written. {@link #close()} completes it (the object appears whole);
 * {@link #abort()} drops it, including any parts already sent. After a failed write the upload is
 * aborted and {@code close()} throws; nothing partial is ever visible under the key.
 */
public abstract class ObjectUpload extends OutputStream {

  /** Drops the upload; harmless after close or a previous abort. */
  public abstract void abort();

  /** The object's size and ETag once {@link #close()} has completed it. */
  public abstract ObjectInfo completed() throws IOException;
}
