package dev.lifeboat.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestServersIT {

    @TempDir
    Path tempDir;

    @Test
    void singleEtcdStoresKeysAndRestoresFromSnapshot() {
        try (EtcdProcess etcd = EtcdProcess.startSingle(tempDir)) {
            String endpoint = etcd.clientEndpoints();
            Etcdctl.put(endpoint, "/lifeboat/a", "one");
            Etcdctl.put(endpoint, "/lifeboat/b", "two");

            assertThat(Etcdctl.get(endpoint, "/lifeboat/a")).isEqualTo("one");
            assertThat(Etcdctl.get(endpoint, "/lifeboat/missing")).isNull();
            assertThat(Etcdctl.countKeys(endpoint, "/lifeboat/")).isEqualTo(2);
            assertThat(Etcdctl.countKeys(endpoint, "/nothing/")).isZero();

            Path snapshot = tempDir.resolve("snapshot.db");
            Etcdctl.snapshotSave(endpoint, snapshot);
            Etcdctl.put(endpoint, "/lifeboat/c", "after the snapshot");
            etcd.stopMember(0);
            Exec.deleteRecursively(etcd.dataDir(0));
            EtcdProcess.Member member = etcd.member(0);
            Etcdctl.snapshotRestore(snapshot, member.dataDir(), member.name(), member.peerUrl());
            etcd.startMember(0);

            assertThat(Etcdctl.countKeys(endpoint, "/lifeboat/")).isEqualTo(2);
            assertThat(Etcdctl.get(endpoint, "/lifeboat/b")).isEqualTo("two");
        }
    }

    @Test
    void threeMemberCluster() {
        try (EtcdProcess cluster = EtcdProcess.startCluster(tempDir, 3)) {
            assertThat(cluster.clientEndpoints().split(",")).hasSize(3);
            assertThat(Etcdctl.memberList(cluster.member(0).clientUrl())).hasSize(3);

            Etcdctl.put(cluster.member(0).clientUrl(), "k", "v");
            assertThat(Etcdctl.get(cluster.member(2).clientUrl(), "k")).isEqualTo("v");
        }
    }

    @Test
    void postgres() throws Exception {
        try (PostgresProcess postgres = PostgresProcess.start();
                Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
                        postgres.password());
                ResultSet rs = connection.createStatement().executeQuery("select 1, current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("lifeboat");
            assertThat(postgres.psql("select current_database(), current_user")).isEqualTo("lifeboat|postgres");
        }
    }
}
