package dev.lifeboat.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real {@code etcdctl} (API v3); every method throws with etcdctl's stderr on failure. */
public final class Etcdctl {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");

    private Etcdctl() {
    }

    /** {@code etcdctl --endpoints=<endpoints> <args>}; returns stdout. */
    public static String run(String endpoints, String... args) {
        List<String> command = new ArrayList<>(List.of("--endpoints=" + endpoints));
        command.addAll(List.of(args));
        return runLocal(command.toArray(String[]::new));
    }

    /** {@code etcdctl <args>} without endpoints, e.g. for {@code snapshot restore}; returns stdout. */
    public static String runLocal(String... args) {
        return Exec.runChecked(command(args), Etcdctl::environment, null, TIMEOUT).stdout();
    }

    /** Exit code, stdout and stderr, for callers that expect etcdctl to fail. */
    static Exec.Result attempt(String endpoints, String... args) {
        List<String> command = command(args);
        command.add(1, "--endpoints=" + endpoints);
        return Exec.run(command, Etcdctl::environment, null, TIMEOUT);
    }

    public static void put(String endpoints, String key, String value) {
        run(endpoints, "put", key, value);
    }

    /** The value of {@code key}, or null when it does not exist. */
    public static String get(String endpoints, String key) {
        // Simple output is "<key>\n<value>\n"; nothing at all when the key is absent.
        String out = run(endpoints, "get", key);
        if (out.isEmpty()) {
            return null;
        }
        String value = out.substring(out.indexOf('\n') + 1);
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }

    /** Number of keys starting with {@code prefix} (etcdctl 3.4 has no --count-only). */
    public static long countKeys(String endpoints, String prefix) {
        String json = run(endpoints, "get", prefix, "--prefix", "--keys-only", "--limit=1", "-w", "json");
        Matcher matcher = COUNT.matcher(json);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0; // JSON omits a zero count
    }

    /** Lines of {@code etcdctl member list}, one per member. */
    public static List<String> memberList(String endpoints) {
        return run(endpoints, "member", "list").lines().filter(line -> !line.isBlank()).toList();
    }

    public static void snapshotSave(String endpoint, Path snapshotDb) {
        run(endpoint, "snapshot", "save", snapshotDb.toString());
    }

    /**
     * Restores a snapshot into a new single-member data dir. etcdctl refuses an existing
     * {@code newDataDir}. Start the restored member with the same name and peer URL.
     */
    public static void snapshotRestore(Path snapshotDb, Path newDataDir, String name, String peerUrl) {
        runLocal("snapshot", "restore", snapshotDb.toString(),
                "--data-dir", newDataDir.toString(),
                "--name", name,
                "--initial-cluster", name + "=" + peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster-token", "lifeboat-restored-" + name);
    }

    static Path binary() {
        return Exec.findBinary("etcdctl", Path.of("/usr/bin/etcdctl"))
                .orElseThrow(() -> new IllegalStateException("etcdctl binary 'etcdctl' not found on PATH or at "
                        + "/usr/bin/etcdctl: install Debian packages etcd-server etcd-client " + Exec.INSTALL_HINT));
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary().toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static void environment(Map<String, String> env) {
        env.keySet().removeIf(name -> name.startsWith("ETCDCTL_"));
        env.put("ETCDCTL_API", "3");
    }
}
