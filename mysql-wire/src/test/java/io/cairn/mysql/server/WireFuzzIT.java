package io.cairn.mysql.server;

import io.cairn.mysql.fuzz.FuzzReport;
import io.cairn.mysql.fuzz.FuzzTarget;
import io.cairn.mysql.fuzz.TestKeyStore;
import io.cairn.mysql.fuzz.WireFuzzer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeded wire fuzz ({@link WireFuzzer}) against a compute node's MySQL port: a real
 * {@link MysqlServer} with TLS behind the {@link FakeEngine} fixture, short timeouts so that stalled
 * clients are dealt with within the run. The seed is printed; {@code -Dcairn.fuzz.seed=N} replays a run.
 */
class WireFuzzIT {
    private static final long MAX_PACKET = 4L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path dir;
    private static FakeEngine engine;

    @BeforeAll
    static void start() throws Exception {
        WireFuzzer.routeNettyLogging();
        Path keyStore = TestKeyStore.create(dir);
        engine = FakeEngine.start(b -> b.maxAllowedPacket(MAX_PACKET).handlerThreads(16)
                .tls(keyStore, TestKeyStore.PASSWORD)
                .connectTimeout(TIMEOUT).netReadTimeout(TIMEOUT).netWriteTimeout(TIMEOUT));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void noBytesFromOneClientHurtTheServerOrOtherClients() {
        FuzzTarget target = FuzzTarget.builder("the CN port (MysqlServer + FakeEngine)", engine.port())
                .tls(true)
                .nativeUser(FakeEngine.NATIVE_USER, FakeEngine.PASSWORD)
                .echoPrefix("SELECT ECHO ")
                .bigResultQuery("SELECT BIG 20000")
                .maxAllowedPacket(MAX_PACKET)
                .timeouts(TIMEOUT, TIMEOUT, TIMEOUT)
                .gauge("open connections", () -> engine.server().connectionCount(), 1) // the long-lived session
                .build();
        FuzzReport report = WireFuzzer.run(target, 3000);
        report.assertClean();
        if (System.getProperty(WireFuzzer.REPLAY) == null) {
            assertThat(report.cases()).isGreaterThanOrEqualTo(Integer.getInteger(WireFuzzer.CASES, 3000));
            assertThat(report.kinds()).isGreaterThanOrEqualTo(20);
        }
    }
}
