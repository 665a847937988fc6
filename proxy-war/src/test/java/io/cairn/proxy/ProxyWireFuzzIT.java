package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mysql.fuzz.FuzzReport;
import io.cairn.mysql.fuzz.FuzzTarget;
import io.cairn.mysql.fuzz.TestKeyStore;
import io.cairn.mysql.fuzz.WireFuzzer;
import io.cairn.mysql.server.TlsUpgrader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded wire fuzz ({@link WireFuzzer}) against the proxy's client port: a real {@link ProxyServer}
 * with TLS in front of one real compute node ({@link TestComputeNode}, a {@code MysqlServer}), the only
 * CN of its group, so that a client who could make the proxy think the CN failed (circuit breaker) would
 * stop every login; that is checked after every case too. Short timeouts so that stalled clients are
 * dealt with within the run. The seed is printed; {@code -Dcairn.fuzz.seed=N} replays a run.
 */
class ProxyWireFuzzIT {
    private static final byte[] SECRET = "proxy-fuzz-cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final long MAX_PACKET = 4L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path dir;
    private static TestComputeNode cn;
    private static ComputeNodes nodes;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        WireFuzzer.routeNettyLogging();
        cn = new TestComputeNode("a1", SECRET, b -> b.handlerThreads(8).maxAllowedPacket(MAX_PACKET));
        nodes = new ComputeNodes(() -> List.of(new ComputeNodes.Cn("a1", cn.endpoint(), "default", false, true)),
                new CircuitBreaker(System::nanoTime));
        TlsUpgrader tls = TlsUpgrader.fromKeyStore(TestKeyStore.create(dir), TestKeyStore.PASSWORD);
        ProxySettings settings = new ProxySettings("127.0.0.1", 0, 4096, MAX_PACKET, SECRET, false,
                GroupRules.parse(""), Duration.ofSeconds(2), Duration.ofSeconds(5), "8.0.36-cairn", Duration.ofSeconds(1),
                tls, TIMEOUT, TIMEOUT, TIMEOUT, null);
        proxy = new ProxyServer(settings, nodes, ProxyServer.LocalCn.NONE).start();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (cn != null) {
            cn.close();
        }
    }

    @Test
    void noBytesFromOneClientHurtTheProxyTheComputeNodeOrOtherClients() {
        FuzzTarget target = FuzzTarget.builder("the proxy port (ProxyServer + TestComputeNode)", proxy.port())
                .tls(true)
                .nativeUser("bob", TestComputeNode.PASSWORD)
                .echoPrefix("SELECT ")
                .bigResultQuery("SELECT ROWS 2000 SIZE 500")
                .maxAllowedPacket(MAX_PACKET)
                .timeouts(TIMEOUT, TIMEOUT, TIMEOUT)
                .invariant("the compute node is not skipped after a client's bytes (circuit breaker)",
                        () -> nodes.breaker().available(cn.endpoint()) ? null : "the proxy marked it failed")
                .gauge("open proxy connections", proxy::connections, 1) // the long-lived session
                .gauge("open compute node connections", () -> cn.server().connectionCount(), 1) // its CN side
                .build();
        FuzzReport report = WireFuzzer.run(target, 3000);
        report.assertClean();
        if (System.getProperty(WireFuzzer.REPLAY) == null) {
            assertThat(report.cases()).isGreaterThanOrEqualTo(Integer.getInteger(WireFuzzer.CASES, 3000));
            assertThat(report.kinds()).isGreaterThanOrEqualTo(20);
        }
    }
}
