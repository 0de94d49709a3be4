package dev.lifeboat.testsupport;

/** Teardown of what a test class started. */
public final class Servers {

  private Servers() {}

  /**
   * Closes each in turn (nulls are skipped: start-up may have failed half-way); one failing to
   * stop does not keep the others running. The first failure is rethrown at the end.
   */
  public static void closeAll(AutoCloseable... servers) {
    RuntimeException first = null;
    for (AutoCloseable server : servers) {
      if (server == null) {
        continue;
      }
      try {
        server.close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("could not stop " + server, e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
