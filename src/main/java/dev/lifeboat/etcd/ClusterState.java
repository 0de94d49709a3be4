package dev.lifeboat.etcd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the cluster looked like when checked: the facts an operator and an approver need.
 * {@code snapshotEndpoint} is the healthy member the snapshot is taken from.
 */
public record ClusterState(
    String clusterId,
    List<Member> members,
    String version,
    long revision,
    long keyCount,
    long dbSize,
    String snapshotEndpoint) {

  public record Member(String id, String name, List<String> clientUrls, boolean learner) {}

  public String summary() {
    return members.size() + " member(s), cluster " + clusterId + ", etcd " + version + ", revision " + revision
        + ", " + keyCount + " keys, db " + dbSize + " bytes";
  }

  public Map<String, Object> asVariables() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("clusterId", clusterId);
    map.put("memberCount", members.size());
    map.put("members", members.stream().map(Member::name).toList());
    map.put("version", version);
    map.put("revision", revision);
    map.put("keyCount", keyCount);
    map.put("dbSize", dbSize);
    map.put("snapshotEndpoint", snapshotEndpoint);
    return map;
  }
}
