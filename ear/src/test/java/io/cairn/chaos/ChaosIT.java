package io.cairn.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run of the default build: a 3-server cluster ({@code bin/cairn cluster up}, ports
 * offset by 2020), the bank, set and register workloads through the proxies, and one cycle each of
 * kill, pause, isolate, storage and leader faults (5 s each; targets rotate: log leader, active TN, a
 * random server). Nothing acknowledged may be lost and no invariant violated; RTO is reported, not
 * asserted (the targets are not met yet). The report is left in {@code target/chaos-it/report}.
 * Isolation needs root and iptables ({@code .ci/run} installs it).
 */
@Tag("fault")
class ChaosIT {
    private static final Path REPO = Path.of(System.getProperty("cairn.repo", "..")).toAbsolutePath().normalize();
    private static final Path VAR = REPO.resolve("ear/target/chaos-it");
    private static final int OFFSET = 2020;
    private static CairnCluster cluster;

    @BeforeAll
    static void clusterUp() throws Exception {
        FreshFolder.recreate(VAR);
        cluster = new CairnCluster(REPO.resolve("bin/cairn"), VAR, OFFSET, 3,
                Map.of("CAIRN_WLP", REPO.resolve("ear/target/liberty/wlp").toString()));
        cluster.cairn(Duration.ofMinutes(8), "cluster", "up", "--servers", "3");
    }

    @AfterAll
    static void clusterDown() throws Exception {
        if (cluster != null) {
            cluster.cairn(Duration.ofMinutes(2), "cluster", "down");
        }
    }

    @Test
    void oneCycleOfEachFaultLosesNothingAndBreaksNoInvariant() throws Exception {
        List<FaultKind> faults = List.of(FaultKind.values());
        ChaosRun run = new ChaosRun(cluster, faults, faults.size(), Duration.ofSeconds(5), 1);
        ChaosReport report;
        try {
            run.run();
        } finally {
            report = new ChaosReport(run.observations(), run.timeline(), "ChaosIT (kill, pause, isolate, storage, leader)");
            report.write(VAR.resolve("report"));
            System.out.println(report.summary());
        }
        assertThat(report.cycles()).isEqualTo(faults.size());
        assertThat(report.lost()).as("acknowledged commits lost (see %s)", VAR.resolve("report/report.md")).isZero();
        assertThat(report.violations()).as("violations (see %s)", VAR.resolve("report/report.md")).isZero();
    }
}
