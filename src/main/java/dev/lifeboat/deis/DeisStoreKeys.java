package dev.lifeboat.deis;

/** The store gateway's S3 keys as deisctl printed them; held in memory for one step only, never printed. */
record DeisStoreKeys(String accessKey, String secretKey) {

  @Override
  public String toString() {
    return "DeisStoreKeys[hidden]";
  }
}
