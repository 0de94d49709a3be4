package dev.lifeboat.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A real etcd (single member or cluster) running as child processes on 127.0.0.1, free ports,
 * data and logs under a fresh directory inside the given temp dir.
 */
public final class EtcdProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** One member; {@code dataDir} is created by etcd itself (it wants mode 0700). */
    public record Member(String name, String clientUrl, String peerUrl, Path dataDir, Path logFile) {
    }

    private final Path etcd;
    private final List<Member> members;
    private final String initialCluster;
    private final String clusterToken;
    private final Process[] processes;
    private final List<String> extraFlags;
    private final Thread shutdownHook = new Thread(this::stopAll, "etcd-process-shutdown");

    private EtcdProcess(Path etcd, List<Member> members, List<String> extraFlags) {
        this.etcd = etcd;
        this.extraFlags = List.copyOf(extraFlags);
        this.members = List.copyOf(members);
        this.initialCluster = members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
        this.clusterToken = "lifeboat-test-" + UUID.randomUUID();
        this.processes = new Process[members.size()];
    }

    public static EtcdProcess startSingle(Path tempDir) {
        return startCluster(tempDir, 1);
    }

    /** One member that also serves the v2 API ({@code --enable-v2=true}), for v2 keys through HTTP. */
    public static EtcdProcess startSingleWithV2(Path tempDir) {
        return startSingle(tempDir, List.of("--enable-v2=true"));
    }

    /** One member started with extra flags, e.g. {@code --max-request-bytes=4194304}. */
    public static EtcdProcess startSingle(Path tempDir, List<String> flags) {
        return startCluster(tempDir, 1, flags);
    }

    public static EtcdProcess startCluster(Path tempDir, int memberCount) {
        return startCluster(tempDir, memberCount, List.of());
    }

    private static EtcdProcess startCluster(Path tempDir, int memberCount, List<String> extraFlags) {
        Path etcd = binary();
        Etcdctl.binary(); // fail now, not at the first health check, when etcdctl is missing
        Path root;
        try {
            root = Files.createTempDirectory(tempDir, "etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = FreePorts.take(2 * memberCount);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            String name = "etcd" + i;
            members.add(new Member(name, "http://127.0.0.1:" + ports[2 * i], "http://127.0.0.1:" + ports[2 * i + 1],
                    root.resolve(name + ".etcd"), root.resolve(name + ".log")));
        }
        EtcdProcess cluster = new EtcdProcess(etcd, members, extraFlags);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            // Launch every member before waiting: no member is healthy until a quorum exists.
            for (int i = 0; i < memberCount; i++) {
                cluster.launch(i);
            }
            for (int i = 0; i < memberCount; i++) {
                cluster.awaitHealthy(i);
            }
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Comma-separated client URLs of all members, for {@code --endpoints} or jetcd. */
    public String clientEndpoints() {
        return members.stream().map(Member::clientUrl).collect(Collectors.joining(","));
    }

    public Member member(int i) {
        return members.get(i);
    }

    public List<Member> members() {
        return members;
    }

    public Path dataDir(int i) {
        return members.get(i).dataDir();
    }

    /** Stops one member, e.g. to replace its data dir with a restored snapshot. */
    public synchronized void stopMember(int i) {
        Process process = processes[i];
        if (process != null) {
            Exec.stop(process, STOP_GRACE);
            processes[i] = null;
        }
    }

    /** (Re)starts a stopped member on its data dir, same name and URLs, and waits until healthy. */
    public synchronized void startMember(int i) {
        if (processes[i] != null && processes[i].isAlive()) {
            throw new IllegalStateException(members.get(i).name() + " is already running");
        }
        launch(i);
        awaitHealthy(i);
    }

    public void stop() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to run; nothing left to do
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void stopAll() {
        for (int i = 0; i < processes.length; i++) {
            stopMember(i);
        }
    }

    private void launch(int i) {
        Member m = members.get(i);
        List<String> command = new ArrayList<>(List.of(etcd.toString(),
                "--name", m.name(),
                "--data-dir", m.dataDir().toString(),
                "--listen-client-urls", m.clientUrl(),
                "--advertise-client-urls", m.clientUrl(),
                "--listen-peer-urls", m.peerUrl(),
                "--initial-advertise-peer-urls", m.peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-token", clusterToken,
                "--initial-cluster-state", "new",
                "--logger", "zap",
                "--log-outputs", "stderr"));
        command.addAll(extraFlags);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(m.logFile().toFile()));
        // ETCD_* variables from the environment would silently override our flags; etcd 3.4 on
        // arm64 still needs ETCD_UNSUPPORTED_ARCH=arm64 though.
        builder.environment().keySet()
                .removeIf(name -> name.startsWith("ETCD_") && !name.equals("ETCD_UNSUPPORTED_ARCH"));
        try {
            processes[i] = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + etcd, e);
        }
    }

    private void awaitHealthy(int i) {
        Member m = members.get(i);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exec.Result last = null;
        while (System.nanoTime() < deadline) {
            if (!processes[i].isAlive()) {
                throw new IllegalStateException("etcd member " + m.name() + " exited with code "
                        + processes[i].exitValue() + "; last lines of " + m.logFile() + ":\n"
                        + Exec.tail(m.logFile(), 30));
            }
            last = Etcdctl.attempt(m.clientUrl(), "--dial-timeout=1s", "--command-timeout=2s", "endpoint", "health");
            if (last.exitCode() == 0) {
                return;
            }
            Exec.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("etcd member " + m.name() + " at " + m.clientUrl() + " not healthy after "
                + START_TIMEOUT.toSeconds() + " s; etcdctl said: " + (last == null ? "-" : last.stderr().strip())
                + "\nlast lines of " + m.logFile() + ":\n" + Exec.tail(m.logFile(), 30));
    }

    static Path binary() {
        return Exec.findBinary("etcd", Path.of("/usr/bin/etcd"))
                .orElseThrow(() -> new IllegalStateException("etcd binary 'etcd' not found on PATH or at "
                        + "/usr/bin/etcd: install Debian packages etcd-server etcd-client " + Exec.INSTALL_HINT));
    }
}
