package dev.lifeboat.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/** Checks a cluster before anything is taken from it: reachable, healthy, one cluster, a leader. */
@Component
class EtcdClusterInspector {

  private static final ByteSequence ALL_KEYS = ByteSequence.from(new byte[] {0});

  private final EtcdConnector connector;
  private final EtcdProperties properties;

  EtcdClusterInspector(EtcdConnector connector, EtcdProperties properties) {
    this.connector = connector;
    this.properties = properties;
  }

  ClusterState inspect(String endpoints, String credentialRef) {
    List<String> urls = EtcdConnector.endpoints(endpoints);
    List<String> problems = new ArrayList<>();
    StatusResponse healthy = null;
    String healthyEndpoint = null;
    for (String url : urls) {
      StatusResponse status;
      try (Client client = connector.connect(List.of(url), credentialRef)) {
        status = await(client.getMaintenanceClient().statusMember(url), url, "status");
      } catch (EtcdException e) {
        problems.add(e.getMessage());
        continue;
      }
      if (!status.getErrorList().isEmpty()) {
        problems.add(url + " reports errors: " + String.join("; ", status.getErrorList()));
      } else if (status.getLeader() == 0) {
        problems.add(url + " has no leader");
      } else if (healthy == null) {
        healthy = status;
        healthyEndpoint = url;
      } else if (status.getHeader().getClusterId() != healthy.getHeader().getClusterId()) {
        throw new EtcdException("the endpoints belong to different clusters: " + healthyEndpoint + " is cluster "
            + hex(healthy.getHeader().getClusterId()) + ", " + url + " is cluster "
            + hex(status.getHeader().getClusterId()));
      }
    }
    if (healthy == null) {
      throw new EtcdException("no healthy etcd endpoint: " + String.join("; ", problems));
    }
    try (Client client = connector.connect(List.of(healthyEndpoint), credentialRef)) {
      List<Member> members = await(client.getClusterClient().listMember(), healthyEndpoint, "member list").getMembers();
      long revision = healthy.getHeader().getRevision();
      long keys = countKeys(client, healthyEndpoint, revision);
      List<ClusterState.Member> memberList = members.stream()
          .map(m -> new ClusterState.Member(hex(m.getId()), m.getName(),
              m.getClientURIs().stream().map(URI::toString).toList(), m.isLearner()))
          .toList();
      return new ClusterState(hex(healthy.getHeader().getClusterId()), memberList, healthy.getVersion(), revision,
          keys, healthy.getDbSize(), healthyEndpoint);
    }
  }

  /** The cluster's revision right now, read from one endpoint. */
  long revision(Client client, String endpoint) {
    return await(client.getMaintenanceClient().statusMember(endpoint), endpoint, "status").getHeader().getRevision();
  }

  private long countKeys(Client client, String endpoint, long revision) {
    return await(client.getKVClient().get(ALL_KEYS,
        GetOption.builder().withRange(ALL_KEYS).withCountOnly(true).withRevision(revision).build()),
        endpoint, "key count").getCount();
  }

  <T> T await(CompletableFuture<T> future, String endpoint, String what) {
    try {
      return future.get(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new EtcdException(endpoint + ": no answer to " + what + " within " + properties.requestTimeout().toSeconds()
          + " s (is etcd running there, and is the URL right?)");
    } catch (ExecutionException e) {
      throw new EtcdException(endpoint + ": " + what + " failed: " + rootMessage(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdException(endpoint + ": interrupted waiting for " + what);
    }
  }

  static String hex(long id) {
    return Long.toHexString(id);
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : (e.getMessage() == null ? message : e.getMessage() + " (" + message + ")");
  }
}
