package io.cairn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.node.HealthReport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProbedReportTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicReference<HealthReport> next = new AtomicReference<>(HealthReport.up(Map.of("answering", 6)));
    private final ProbedReport report = new ProbedReport(next::get, Duration.ofSeconds(10), now::get);

    @Test
    void beforeTheFirstProbeItIsDownAndAfterItAnswersTheProbedReportWithItsAge() {
        assertThat(report.current().up()).isFalse();
        assertThat(report.current().data()).containsEntry("error", "not probed yet");

        report.probe();
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        HealthReport current = report.current();
        assertThat(current.up()).isTrue();
        assertThat(current.data()).containsEntry("answering", 6).containsEntry("probedMsAgo", 1500L);

        next.set(HealthReport.down(Map.of("answering", 3)));
        report.probe();
        assertThat(report.current().up()).isFalse();
        assertThat(report.current().data()).containsEntry("answering", 3);
    }

    @Test
    void aReportOlderThanTheMaximumAgeIsDown() {
        report.probe();
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(report.current().up()).isFalse();
        assertThat(report.current().data().get("error").toString()).contains("older than 10000 ms");
    }

    @Test
    void aProbeThatHangsDoesNotHoldTheAnswer() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong probes = new AtomicLong();
        ProbedReport slow = new ProbedReport(() -> {
            if (probes.incrementAndGet() > 1) { // the first probe answers at once, the second hangs
                probing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return HealthReport.up(Map.of("probe", probes.get()));
        }, Duration.ofSeconds(10), now::get);
        slow.probe();
        CompletableFuture<Void> background = CompletableFuture.runAsync(slow::probe);
        assertThat(probing.await(5, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        HealthReport current = slow.current(); // the first probe's report, while the second one hangs
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(100);
        assertThat(current.up()).isTrue();
        assertThat(current.data()).containsEntry("probe", 1L);
        release.countDown();
        background.get(5, TimeUnit.SECONDS);
        assertThat(slow.current().data()).containsEntry("probe", 2L);
    }
}
