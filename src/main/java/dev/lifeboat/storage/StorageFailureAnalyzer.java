package dev.lifeboat.storage;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up fails with "Description: ... Action: ..." instead of a stack trace. */
class StorageFailureAnalyzer extends AbstractFailureAnalyzer<StorageUnavailableException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StorageUnavailableException cause) {
    return new FailureAnalysis(cause.description(), cause.action(), cause);
  }
}
