package dev.lifeboat.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server as a child process: fresh initdb, 127.0.0.1 on a free port, unix socket
 * in its own directory. Database {@code lifeboat} is owned by role {@code lifeboat} (password
 * {@code lifeboat}); TCP logins need the password (scram-sha-256).
 *
 * <p>initdb refuses to run as root, so when the JVM is root every PostgreSQL binary runs as the
 * {@code postgres} user via {@code runuser}, in a directory under /tmp owned by that user (JUnit's
 * {@code @TempDir} is mode 0700 and not reachable for it). The directory is deleted on stop.
 */
public final class PostgresProcess implements AutoCloseable {

    public static final String DATABASE = "lifeboat";
    public static final String USERNAME = "lifeboat";
    public static final String PASSWORD = "lifeboat";
    private static final String SUPERUSER = "postgres";
    private static final String SUPERUSER_PASSWORD = "postgres";
    private static final String OS_USER = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path binDir;
    private final boolean asPostgresUser;
    private final Path dir;
    private final int port;
    private final Thread shutdownHook = new Thread(this::shutdown, "postgres-process-shutdown");
    private Process process;

    private PostgresProcess(Path binDir, boolean asPostgresUser, Path dir, int port) {
        this.binDir = binDir;
        this.asPostgresUser = asPostgresUser;
        this.dir = dir;
        this.port = port;
    }

    public static PostgresProcess start() {
        Path binDir = findBinDir();
        boolean asPostgresUser = isRoot();
        Path dir = createDirectory(asPostgresUser);
        PostgresProcess server = new PostgresProcess(binDir, asPostgresUser, dir, FreePorts.next());
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.initdb();
            server.launch();
            server.awaitReady();
            server.psqlOn("postgres", "create role " + USERNAME + " login password '" + PASSWORD + "'");
            server.psqlOn("postgres", "create database " + DATABASE + " owner " + USERNAME);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** Directory holding initdb, postgres, pg_dump, pg_dumpall, psql of the same version. */
    public Path binDir() {
        return binDir;
    }

    /**
     * Runs SQL as the superuser in database {@code lifeboat}; returns the rows of every result
     * set, one line per row, columns separated by {@code |} (like {@code psql -At}).
     */
    public String psql(String sql) {
        return psqlOn(DATABASE, sql);
    }

    public synchronized void stop() {
        shutdown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to run
        }
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void shutdown() {
        if (process != null) {
            // Fast shutdown: SIGTERM alone would wait for clients (e.g. a leaked pool) to disconnect.
            try {
                run(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-D", dataDir().toString(),
                        "-m", "fast", "-w"));
            } catch (RuntimeException ignored) {
                // fall through to killing the process tree
            }
            Exec.stop(process, Duration.ofSeconds(10));
            process = null;
        }
        Exec.deleteRecursively(dir);
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private Path logFile() {
        return dir.resolve("postgres.log");
    }

    private void initdb() {
        Path pwfile = dir.resolve("pwfile");
        try {
            Files.writeString(pwfile, SUPERUSER_PASSWORD + "\n");
            run(List.of(binDir.resolve("initdb").toString(),
                    "-D", dataDir().toString(),
                    "-U", SUPERUSER,
                    "--pwfile", pwfile.toString(),
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--no-locale",
                    "--no-sync"));
            Files.delete(pwfile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        List<String> command = asUser(List.of(binDir.resolve("postgres").toString(),
                "-D", dataDir().toString(),
                "-p", Integer.toString(port),
                "-k", dir.toString(),
                "-c", "listen_addresses=127.0.0.1",
                // throwaway data: trade durability for speed
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off"));
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited with code " + process.exitValue()
                        + "; last lines of " + logFile() + ":\n" + Exec.tail(logFile(), 30));
            }
            try {
                superuserConnection("postgres").close();
                return;
            } catch (SQLException e) {
                last = e;
            }
            Exec.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("postgres on port " + port + " not ready after " + START_TIMEOUT.toSeconds()
                + " s: " + (last == null ? "-" : last.getMessage())
                + "\nlast lines of " + logFile() + ":\n" + Exec.tail(logFile(), 30));
    }

    private String psqlOn(String database, String sql) {
        try (Connection connection = superuserConnection(database);
                Statement statement = connection.createStatement()) {
            List<String> rows = new ArrayList<>();
            boolean isResultSet = statement.execute(sql);
            while (isResultSet || statement.getUpdateCount() != -1) {
                if (isResultSet) {
                    try (ResultSet resultSet = statement.getResultSet()) {
                        int columns = resultSet.getMetaData().getColumnCount();
                        while (resultSet.next()) {
                            List<String> values = new ArrayList<>();
                            for (int c = 1; c <= columns; c++) {
                                values.add(resultSet.getString(c));
                            }
                            rows.add(String.join("|", values));
                        }
                    }
                }
                isResultSet = statement.getMoreResults();
            }
            return String.join("\n", rows);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    private Connection superuserConnection(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("password", SUPERUSER_PASSWORD);
        properties.setProperty("loginTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
    }

    private void run(List<String> command) {
        Exec.runChecked(asUser(command), env -> { }, dir, COMMAND_TIMEOUT);
    }

    private List<String> asUser(List<String> command) {
        if (!asPostgresUser) {
            return command;
        }
        Path runuser = Exec.findBinary("runuser", Path.of("/usr/sbin/runuser"), Path.of("/sbin/runuser"))
                .orElseThrow(() -> new IllegalStateException("running as root needs 'runuser' (Debian package"
                        + " util-linux) to start PostgreSQL as user " + OS_USER));
        List<String> wrapped = new ArrayList<>(List.of(runuser.toString(), "-u", OS_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Path createDirectory(boolean asPostgresUser) {
        try {
            if (!asPostgresUser) {
                return Files.createTempDirectory("lifeboat-pg-");
            }
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-pg-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            try {
                Files.setOwner(dir, users.lookupPrincipalByName(OS_USER));
            } catch (UserPrincipalNotFoundException e) {
                Files.delete(dir);
                throw new IllegalStateException("running as root, PostgreSQL must run as OS user '" + OS_USER
                        + "', which does not exist: install Debian package postgresql " + Exec.INSTALL_HINT);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bin dir of the highest /usr/lib/postgresql/N, else the directory of initdb on PATH. */
    private static Path findBinDir() {
        Optional<Path> debian;
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            debian = versions
                    .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .filter(PostgresProcess::hasServerBinaries);
        } catch (IOException e) {
            debian = Optional.empty();
        }
        return debian
                .or(() -> Exec.findBinary("initdb").map(Path::getParent).filter(PostgresProcess::hasServerBinaries))
                .orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries (initdb, postgres, pg_ctl)"
                        + " not found in /usr/lib/postgresql/*/bin or on PATH: install Debian package postgresql "
                        + Exec.INSTALL_HINT));
    }

    private static boolean hasServerBinaries(Path binDir) {
        return Stream.of("initdb", "postgres", "pg_ctl").allMatch(name -> Files.isExecutable(binDir.resolve(name)));
    }
}
