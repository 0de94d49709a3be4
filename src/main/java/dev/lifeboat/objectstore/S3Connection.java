package dev.lifeboat.objectstore;

import java.net.URI;

/**
 * Where an S3-compatible store is and who Lifeboat is there.
 *
 * @param endpoint e.g. {@code http://rgw.example.org:7480}; null or blank for AWS itself
 * @param region the signing region ({@code us-east-1} suits most S3-compatible servers)
 * @param credentialRef {@code lifeboat.credentials.<ref>} of kind {@code s3}: username = access key
 *     id, password-file = secret key
 */
public record S3Connection(String endpoint, String region, String credentialRef) {

  public S3Connection {
    region = region == null || region.isBlank() ? "us-east-1" : region.strip();
    endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.strip();
  }

  /** The endpoint as a URI, or null for AWS; refuses anything but http(s)://host[:port]. */
  URI endpointUri() {
    if (endpoint == null) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid S3 endpoint URL: '" + endpoint + "' (" + e.getMessage() + ")");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("not a valid S3 endpoint URL: '" + endpoint
          + "' (expected http://host[:port] or https://host[:port])");
    }
    return uri;
  }

  /** For messages: the endpoint, or "AWS S3 (<region>)". */
  public String describe() {
    return endpoint != null ? endpoint : "AWS S3 (" + region + ")";
  }
}
