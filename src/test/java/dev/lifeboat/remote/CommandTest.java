package dev.lifeboat.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandTest {

  @Test
  void argumentsAreQuotedForTheShell() {
    assertThat(Command.of("mv", "--", "/var/lib/etcd", "/var/lib/etcd.old").toShellLine())
        .isEqualTo("mv -- /var/lib/etcd /var/lib/etcd.old");
    assertThat(Command.of("rm", "-rf", "--", "x; rm -rf /").toShellLine()).isEqualTo("rm -rf -- 'x; rm -rf /'");
    assertThat(Command.of("echo", "it's").toShellLine()).isEqualTo("echo 'it'\"'\"'s'");
    assertThat(Command.of("echo", "").toShellLine()).isEqualTo("echo ''");
  }

  @Test
  void secretsAreSentButNeverShown() {
    Command command = Command.of("etcdctl", "--password").withSecret("hunter2");
    assertThat(command.toShellLine()).endsWith("hunter2");
    assertThat(command.describe()).isEqualTo("etcdctl --password ****");
    assertThat(command.mask("bad password hunter2")).isEqualTo("bad password ****");
  }

  @Test
  void hostsParseWithAndWithoutPorts() {
    assertThat(HostAddress.parse("db1")).isEqualTo(new HostAddress("db1", 22));
    assertThat(HostAddress.parse("10.0.0.5:2222")).isEqualTo(new HostAddress("10.0.0.5", 2222));
    assertThat(HostAddress.parse("[::1]:2222")).isEqualTo(new HostAddress("::1", 2222));
    assertThat(HostAddress.parse("[::1]:2222").toString()).isEqualTo("[::1]:2222");
    assertThatThrownBy(() -> HostAddress.parse("db1:99999")).hasMessageContaining("1-65535");
    assertThatThrownBy(() -> HostAddress.parse("db1;rm")).hasMessageContaining("not a host");
  }
}
