package io.cairn.it;

import io.cairn.chaos.FreshFolder;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.node.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16's bank ({@link JpaBank}) on the test server against a 3-server cluster ({@code bin/cairn cluster up},
 * ports offset by 3030) through a Connector/J multi-host URL over the three proxies (data source
 * {@code jdbc/bankCluster}, Liberty's default isolation): the transfers go on while s1 (the URL's first host: its
 * proxy and its compute node) is killed with SIGKILL and restarted. Transfers may fail meanwhile; one whose commit
 * lost its answer is resolved by the transfer table, and the books must balance as in {@link JpaBankIT}.
 * {@code -Dcairn.jpa.rounds=N} runs N such rounds on the same cluster, each on tables created again and with its own
 * kill and restart.
 */
@Tag("fault")
@ExtendWith(ArquillianExtension.class)
class JpaBankClusterIT {
    private static final Path REPO = Path.of(System.getProperty("cairn.repo", "..")).toAbsolutePath().normalize();
    private static final Path VAR = REPO.resolve("ear/target/jpa-cluster-it");
    /** The data source jdbc/bankCluster in ear/src/test/liberty/server.xml names the proxies at this offset. */
    private static final int OFFSET = 3030;
    private static final String BASE = "http://127.0.0.1:" + System.getProperty("cairn.it.http.port", "9180");
    private static final String HOSTS = "127.0.0.1:" + (6001 + OFFSET) + ",127.0.0.1:" + (6002 + OFFSET) + ",127.0.0.1:"
            + (6003 + OFFSET);
    private static final String OPTIONS = "?sslMode=DISABLED&failOverReadOnly=false&connectTimeout=2000&socketTimeout=30000";

    @Deployment(testable = false)
    static WebArchive bank() {
        return JpaBank.war();
    }

    @BeforeAll
    static void clusterUp() throws Exception {
        FreshFolder.recreate(VAR);
        cairn(Duration.ofMinutes(5), "cluster", "up", "--servers", "3");
    }

    @AfterAll
    static void clusterDown() throws Exception {
        cairn(Duration.ofMinutes(2), "cluster", "down");
    }

    @Test
    void transfersWhileTheFirstProxysServerIsKilledAndRestarted() throws Exception {
        for (int round = 1; round <= JpaBankIT.ROUNDS; round++) {
            round(round);
        }
    }

    private void round(int round) throws Exception {
        // a fresh cluster may still be settling its TN lease: repeated until it passes
        Wait.until("the database jpa_cluster to be created", Duration.ofSeconds(120),
                () -> JpaBank.createSchema("jdbc:mysql://" + HOSTS + "/" + OPTIONS, "jpa_cluster"));
        JpaBank bank = new JpaBank(BASE, "cluster", "jdbc:mysql://" + HOSTS + "/jpa_cluster" + OPTIONS, JpaBankIT.ACCOUNTS);
        bank.open();
        assertThat(bank.isolation()).isEqualTo("jdbc=READ_COMMITTED session=READ-COMMITTED");

        long start = System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread workload = new Thread(() -> {
            try {
                bank.run(JpaBankIT.CLIENTS, Integer.MAX_VALUE, stop);
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "bank-workload");
        workload.start();
        String timeline;
        try {
            Wait.until("100 transfers to commit", Duration.ofSeconds(60), () -> bank.acknowledged() >= 100);
            int beforeKill = bank.acknowledged();
            long killed = System.nanoTime();
            cairn(Duration.ofSeconds(30), "cluster", "kill", "s1");
            Wait.until("20 transfers to commit after s1 was killed", Duration.ofSeconds(120),
                    () -> bank.acknowledged() >= beforeKill + 20);
            long recovered = System.nanoTime();
            cairn(Duration.ofMinutes(5), "cluster", "restart", "s1");
            long restarted = System.nanoTime();
            int afterRestart = bank.acknowledged();
            Wait.until("50 transfers to commit after s1 came back", Duration.ofSeconds(60),
                    () -> bank.acknowledged() >= afterRestart + 50);
            timeline = String.format("s1 killed after %d s and %d commits; 20 more commits %d s later; restarted"
                    + " (ready) %d s after the kill, then 50 more commits", (killed - start) / 1_000_000_000L, beforeKill,
                    (recovered - killed) / 1_000_000_000L, (restarted - killed) / 1_000_000_000L);
        } finally {
            stop.set(true);
            workload.join();
        }
        assertThat(failed.get()).isNull();
        JpaBank.Result result = bank.check();
        System.out.printf("JpaBankClusterIT round %d/%d: %s; %s (%d s); e.g. %s%n", round, JpaBankIT.ROUNDS, timeline,
                result.summary(),
                (System.nanoTime() - start) / 1_000_000_000L, result.examples());
        assertThat(result.problems()).withFailMessage(() -> timeline + "\n" + result.report()).isEmpty();
    }

    private static void cairn(Duration timeout, String... args) throws Exception {
        BinCairn.run(REPO, VAR, OFFSET, timeout, args);
    }
}
