package dev.lifeboat.remote;

/** Receives a command's output line by line as it comes (already masked), e.g. to show it as step progress. */
@FunctionalInterface
public interface OutputListener {

  OutputListener NONE = line -> {};

  void line(String line);
}
