import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;

/**
 * An S3 server for the benchmarks: S3Proxy with its filesystem backend on loopback, as the tests
 * use it. Run as a single-file program on the test classpath (bench/lib.sh does it):
 *
 * <pre>java -cp "$TEST_CLASSPATH" bench/S3Server.java --port 9000 --dir /tmp/s3 --credentials creds.txt</pre>
 *
 * It writes a random access key and secret to the credentials file (mode 0600; two lines) and
 * serves until it is killed.
 */
public class S3Server {

  public static void main(String[] args) throws Exception {
    int port = 0;
    Path dir = null;
    Path credentials = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--dir" -> dir = Path.of(args[i + 1]);
        case "--credentials" -> credentials = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (port == 0 || dir == null || credentials == null) {
      throw new IllegalArgumentException("usage: --port N --dir DIR --credentials FILE");
    }
    Files.createDirectories(dir);
    String accessKey = "BENCH" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String secretKey = UUID.randomUUID().toString();
    Files.writeString(credentials, accessKey + "\n" + secretKey + "\n");
    Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toString());
    properties.setProperty(Constants.PROPERTY_IDENTITY, accessKey);
    properties.setProperty(Constants.PROPERTY_CREDENTIAL, secretKey);
    BlobStore blobStore = BlobStores.create("filesystem-nio2", properties);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(blobStore)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .build();
    proxy.start();
    System.err.println("S3Proxy listening on http://127.0.0.1:" + port);
    Thread.currentThread().join();
  }
}
