package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.log.impl.LogConfig;
import io.cairn.log.impl.RaftLogClient;
import io.cairn.node.testing.Wait;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The three Liberty servers of the shared cluster ({@link LocalCluster}, one EAR) see each other; a server
 * killed with SIGKILL drops out of the others' member lists, and comes back when restarted. Their object
 * storage is six S3Proxy endpoints, also started by {@code bin/cairn}.
 */
@ExtendWith(LocalCluster.class)
class ClusterMembershipIT {
    private static final Path VAR = LocalCluster.VAR;
    private static final int OFFSET = LocalCluster.OFFSET;
    /** The admin API, over HTTPS as in every cluster, trusting the servers' certificates that bin/cairn exported. */
    private static HttpClient admin;

    @BeforeAll
    static void trustTheCluster() {
        admin = Http.trusting(VAR.resolve("https/admin-certificates.pem"));
    }

    @Test
    void serversSeeEachOtherAndNoticeAKilledServer() throws Exception {
        assertThat(memberNames(1)).containsExactlyInAnyOrder("s1", "s2", "s3");
        assertThat(memberNames(2)).containsExactlyInAnyOrder("s1", "s2", "s3");

        cairn(Duration.ofSeconds(30), "cluster", "kill", "s3");
        Wait.until("s1 and s2 to drop s3", Duration.ofSeconds(30),
                () -> memberNames(1).equals(List.of("s1", "s2")) && memberNames(2).equals(List.of("s1", "s2")));

        cairn(Duration.ofMinutes(3), "cluster", "restart", "s3");
        Wait.until("s1 to list s3 again", Duration.ofSeconds(30),
                () -> memberNames(1).equals(List.of("s1", "s2", "s3")));
        assertThat(memberNames(3)).containsExactly("s1", "s2", "s3");
    }

    /**
     * The cluster's storage is 4+2 over six S3Proxy processes: a bean on s1 round-trips an object through the
     * connection factory; with one endpoint stopped that still works (puts need 5); with three stopped the
     * storage readiness check of every server goes DOWN, and UP again once they are back.
     */
    @Test
    void storageIsErasureCodedOverSixS3EndpointsAndReadinessFollowsThem() throws Exception {
        assertThat(selfTest(1).status()).isEqualTo(200);
        try {
            cairn(Duration.ofSeconds(30), "cluster", "storage", "stop", "2");
            Http.Answer answer = selfTest(1);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(storageStatus(2)).isEqualTo("UP");

            cairn(Duration.ofSeconds(30), "cluster", "storage", "stop", "4");
            cairn(Duration.ofSeconds(30), "cluster", "storage", "stop", "6");
            Wait.until("storage readiness DOWN on s1 and s2", Duration.ofSeconds(30),
                    () -> "DOWN".equals(storageStatus(1)) && "DOWN".equals(storageStatus(2)));
            assertThat(Http.get(admin, adminBase(1) + "/api/storage/health", "admin", password()).json().asJsonObject()
                    .getInt("answering")).isEqualTo(3);
        } finally {
            for (String n : List.of("2", "4", "6")) {
                cairn(Duration.ofMinutes(1), "cluster", "storage", "start", n);
            }
        }
        Wait.until("storage readiness UP on s1 and s2", Duration.ofSeconds(30),
                () -> "UP".equals(storageStatus(1)) && "UP".equals(storageStatus(2)));
        assertThat(selfTest(2).status()).isEqualTo(200);
    }

    /**
     * The cluster's Raft ports speak mutual TLS with the PKI {@code bin/cairn} made: a Raft client without
     * the cluster certificate (plain gRPC) cannot append to the cluster's log, and the log still works.
     */
    @Test
    void aRaftClientWithoutTheClusterCertificateCannotAppend() throws Exception {
        String peers = "s1=127.0.0.1:" + (6201 + OFFSET) + ",s2=127.0.0.1:" + (6202 + OFFSET)
                + ",s3=127.0.0.1:" + (6203 + OFFSET);
        Map<String, String> settings = Map.of(LogConfig.PEERS, peers, LogConfig.APPEND_TIMEOUT_MS, "3000");
        try (RaftLogClient outsider = new RaftLogClient(
                LogConfig.fromProperties(key -> Optional.ofNullable(settings.get(key))), null)) {
            assertThatThrownBy(() -> outsider.append(List.of("not from the cluster".getBytes(StandardCharsets.UTF_8))))
                    .isInstanceOf(RuntimeException.class);
        }
        assertThat(Files.readString(VAR.resolve("tls/password")).trim()).isNotEmpty();
        Wait.until("every server ready after the attempt", Duration.ofSeconds(30),
                () -> Http.get(base(1) + "/health/ready").status() == 200 && Http.get(base(2) + "/health/ready").status() == 200);
    }

    private static String base(int server) {
        return "http://127.0.0.1:" + (9079 + server + OFFSET);
    }

    /** Server sI's admin API: its HTTPS port (9442 + I). */
    private static String adminBase(int server) {
        return "https://127.0.0.1:" + (9442 + server + OFFSET);
    }

    private static Http.Answer selfTest(int server) {
        return Http.post(admin, adminBase(server) + "/api/storage/selftest", "admin", password());
    }

    /** The status of server {@code sI}'s storage readiness check, or null if it does not answer. */
    private static String storageStatus(int server) {
        Http.Answer answer = Http.get(base(server) + "/health/ready");
        if (answer.status() != 200 && answer.status() != 503) {
            return null;
        }
        return answer.json().asJsonObject().getJsonArray("checks").stream().map(c -> c.asJsonObject())
                .filter(c -> c.getString("name").equals("storage")).map(c -> c.getString("status"))
                .findFirst().orElse(null);
    }

    private static String password() {
        try {
            return Files.readString(VAR.resolve("admin-password")).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the members server {@code sI} lists, sorted; empty if it does not answer. */
    private static List<String> memberNames(int server) {
        Http.Answer answer = Http.get(admin, adminBase(server) + "/api/cluster/members", "admin", password());
        if (answer.status() != 200) {
            return List.of();
        }
        return answer.json().asJsonArray().stream()
                .map(m -> m.asJsonObject().getString("name")).sorted().toList();
    }

    private static void cairn(Duration timeout, String... args) throws Exception {
        LocalCluster.cairn(timeout, args);
    }
}
