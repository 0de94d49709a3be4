package dev.lifeboat.juju;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The state servers (1.x) or controllers (2.9/3.x) in {@code juju status --format=json}: machines
 * that carry a member status ({@code state-server-member-status}, {@code controller-member-status}:
 * has-vote, adding-vote, removing-vote, no-vote) and their agent's state.
 */
record ControllerMembers(List<Member> members) {

  record Member(String machine, String agent, String vote) {

    boolean votes() {
      return "has-vote".equals(vote) && "started".equals(agent);
    }

    String describe() {
      return "machine " + machine + ": " + agent + ", " + vote;
    }
  }

  static ControllerMembers parse(String statusJson, ObjectMapper json) {
    JsonNode root;
    try {
      root = json.readTree(statusJson);
    } catch (IOException e) {
      throw new JujuException("'juju status --format=json' printed something that is not JSON: " + e.getMessage());
    }
    List<Member> members = new ArrayList<>();
    for (Map.Entry<String, JsonNode> machine : root.path("machines").properties()) {
      JsonNode m = machine.getValue();
      JsonNode vote = m.has("controller-member-status") ? m.get("controller-member-status")
          : m.get("state-server-member-status");
      if (vote == null) {
        continue; // a workload machine
      }
      JsonNode agent = m.has("agent-state") ? m.get("agent-state") : m.path("juju-status").path("current");
      members.add(new Member(machine.getKey(), agent.isMissingNode() ? "unknown" : agent.asText(), vote.asText()));
    }
    return new ControllerMembers(members);
  }

  long voting() {
    return members.stream().filter(Member::votes).count();
  }

  List<Member> withVote() {
    return members.stream().filter(Member::votes).toList();
  }

  String describe() {
    return members.isEmpty() ? "no state server" : members.stream().map(Member::describe).collect(Collectors.joining("; "));
  }
}
