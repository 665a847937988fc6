package io.cairn.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LogService} must have, as its Javadoc states it (CONVENTIONS #5). Each
 * implementation supplies {@link #newLog()}: the Ratis client on a 3-peer group ({@code RaftLogServiceContractIT})
 * and the in-memory fixture of the TN and CN unit tests ({@code InMemoryLogContractTest}). What depends on
 * Ratis itself (peers, leadership, purging, restarts) is tested in {@code io.cairn.log.impl}.
 *
 * <p>Every test gets a new, empty log: leases and truncation are global to a log, so tests cannot share one.
 * Reads go through {@link #readAll}, which first waits until the reading peer has applied the commit index:
 * the contract lets a peer serve only what it has applied, so a read right after an append may lag.
 */
public abstract class LogServiceContract {
    /** Bound of every wait in these tests; generous, for a busy 2-core machine. */
    protected static final Duration WAIT = Duration.ofSeconds(30);

    protected LogService log;
    private ExecutorService threads;

    /** A new, empty log for one test: nothing appended, no lease, nothing truncated. */
    protected abstract LogService newLog() throws Exception;

    /** Releases what {@link #newLog()} made; by default closes the log. */
    protected void closeLog(LogService log) throws Exception {
        log.close();
    }

    @BeforeEach
    void open() throws Exception {
        threads = Executors.newCachedThreadPool();
        log = newLog();
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        if (log != null) {
            closeLog(log);
        }
    }

    // ---- helpers ----

    protected static byte[] rec(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The data records of {@code entries}, in order. */
    protected static List<String> records(List<LogEntry> entries) {
        List<String> out = new ArrayList<>();
        for (LogEntry e : entries) {
            if (e.kind() == LogEntry.Kind.DATA) {
                e.records().forEach(r -> out.add(str(r)));
            }
        }
        return out;
    }

    /** Waits until this client's reading peer has applied {@code lsn}. */
    protected void awaitApplied(long lsn) {
        assertThat(log.awaitCommitted(lsn - 1, WAIT)).as("applied index after waiting for %d", lsn)
                .isGreaterThanOrEqualTo(lsn);
    }

    /** Every visible entry from {@code fromLsn} up to the commit index, following each batch's nextLsn. */
    protected List<LogEntry> readAll(long fromLsn) {
        long barrier = log.commitIndex();
        awaitApplied(barrier);
        List<LogEntry> all = new ArrayList<>();
        long next = fromLsn;
        while (next <= barrier) {
            LogBatch batch = log.read(next, 1 << 20);
            all.addAll(batch.entries());
            assertThat(batch.nextLsn()).as("nextLsn of a read from %d, with %d applied", next, barrier)
                    .isGreaterThan(next);
            next = batch.nextLsn();
        }
        return all;
    }

    private LogEntry entryAt(long lsn) {
        awaitApplied(lsn);
        LogEntry e = log.read(lsn, 1).entries().get(0);
        assertThat(e.lsn()).isEqualTo(lsn);
        return e;
    }

    private static <T> T within(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- append and read ----

    @Test
    void appendedRecordsAreReadInOrderUnderGrowingLsns() {
        long a = log.append(List.of(rec("a1"), rec("a2")));
        long b = log.append(List.of(rec("b1")));
        assertThat(b).isGreaterThan(a);

        assertThat(records(readAll(0))).containsExactly("a1", "a2", "b1");
        LogEntry first = entryAt(a);
        assertThat(first.kind()).isEqualTo(LogEntry.Kind.DATA);
        assertThat(first.epoch()).isEqualTo(LogService.NO_EPOCH);
        assertThat(first.holder()).isNull();
        assertThat(first.records()).extracting(LogServiceContract::str).containsExactly("a1", "a2");
    }

    @Test
    void aNewLogHasNoLeaseAndNothingTruncated() {
        assertThat(log.currentLease()).isEqualTo(Lease.NONE);
        assertThat(log.read(0, 1 << 20).entries()).isEmpty(); // no truncation point yet: LSN 0 is readable
        assertThat(readAll(0)).isEmpty();
    }

    /** "Returns at least one entry when one is available, and stops before the records would exceed maxBytes." */
    @Test
    void aReadReturnsAtLeastOneEntryAndStopsBeforeMaxBytes() {
        List<Long> lsns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lsns.add(log.append(List.of(new byte[100])));
        }
        awaitApplied(lsns.get(4));

        LogBatch one = log.read(lsns.get(0), 1);
        assertThat(one.entries()).extracting(LogEntry::lsn).containsExactly(lsns.get(0));
        LogBatch two = log.read(lsns.get(0), 250);
        assertThat(two.entries()).extracting(LogEntry::lsn).containsExactly(lsns.get(0), lsns.get(1));
        assertThat(two.nextLsn()).isGreaterThan(lsns.get(1)).isLessThanOrEqualTo(lsns.get(2));
        assertThat(log.read(two.nextLsn(), 250).entries()).extracting(LogEntry::lsn)
                .containsExactly(lsns.get(2), lsns.get(3));
    }

    @Test
    void aReadPastTheAppliedTailIsEmptyAndDoesNotWait() throws Exception {
        long lsn = log.append(List.of(rec("x")));
        long past = log.commitIndex() + 1000;
        LogBatch batch = within(CompletableFuture.supplyAsync(() -> log.read(past, 1 << 20), threads));
        assertThat(batch.entries()).isEmpty();
        assertThat(batch.nextLsn()).isGreaterThanOrEqualTo(past); // a reader never goes back
        assertThat(entryAt(lsn).records()).extracting(LogServiceContract::str).containsExactly("x");
    }

    /** Group commit may merge callers into one entry, but never splits, reorders or interleaves a caller's records. */
    @Test
    void concurrentAppendsKeepEachCallersRecordsContiguousAndInOrder() throws Exception {
        int writers = 4;
        int appends = 20;
        List<CompletableFuture<List<Long>>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(CompletableFuture.supplyAsync(() -> {
                List<Long> lsns = new ArrayList<>();
                for (int i = 0; i < appends; i++) {
                    String p = "w" + writer + "-" + i + "-";
                    lsns.add(log.append(List.of(rec(p + 0), rec(p + 1), rec(p + 2))));
                }
                return lsns;
            }, threads));
        }
        List<List<Long>> lsnsByWriter = new ArrayList<>();
        for (CompletableFuture<List<Long>> f : done) {
            lsnsByWriter.add(within(f));
        }

        List<LogEntry> all = readAll(0);
        assertThat(records(all)).hasSize(writers * appends * 3).doesNotHaveDuplicates();
        for (int w = 0; w < writers; w++) {
            List<Long> lsns = lsnsByWriter.get(w);
            assertThat(lsns).as("LSNs of writer %d", w).isSorted().doesNotHaveDuplicates();
            for (int i = 0; i < appends; i++) {
                long lsn = lsns.get(i);
                List<String> entry = records(all.stream().filter(e -> e.lsn() == lsn).toList());
                String p = "w" + w + "-" + i + "-";
                int at = entry.indexOf(p + 0);
                assertThat(at).as("%s0 in entry %d", p, lsn).isNotNegative();
                assertThat(entry.subList(at, Math.min(at + 3, entry.size()))).as("entry %d", lsn)
                        .containsExactly(p + 0, p + 1, p + 2);
            }
        }
    }

    @Test
    void appendAsyncCompletesWithTheLsnAndFailsItsFutureWhenStale() throws Exception {
        long lsn = within(log.appendAsync(LogService.NO_EPOCH, List.of(rec("async"))));
        assertThat(entryAt(lsn).records()).extracting(LogServiceContract::str).containsExactly("async");

        log.appendLease(2, "tn", rec("lease"));
        CompletableFuture<Long> stale = log.appendAsync(1, List.of(rec("stale"))); // failed, not thrown
        assertThatThrownBy(() -> within(stale)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StaleEpochException.class);
        assertThat(records(readAll(0))).containsExactly("async");
    }

    // ---- epoch fencing ----

    @Test
    void aDataAppendBelowTheLeaseEpochIsRefusedAndNeverVisible() {
        long before = log.append(1, List.of(rec("epoch1-before-any-lease"))); // epochs start at 1; none is held
        log.appendLease(2, "tn-a", rec("lease"));

        assertThatThrownBy(() -> log.append(1, List.of(rec("stale"))))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> {
                    assertThat(e.epoch()).isEqualTo(1);
                    assertThat(e.highestEpoch()).isEqualTo(2);
                });
        long same = log.append(2, List.of(rec("epoch2")));
        long higher = log.append(5, List.of(rec("epoch5"))); // at least the lease epoch is enough
        long still = log.append(2, List.of(rec("epoch2-again"))); // a data append does not raise the fence
        log.append(List.of(rec("unconditional")));

        assertThat(records(readAll(0)))
                .containsExactly("epoch1-before-any-lease", "epoch2", "epoch5", "epoch2-again", "unconditional");
        assertThat(entryAt(before).epoch()).isEqualTo(1);
        assertThat(entryAt(same).epoch()).isEqualTo(2);
        assertThat(entryAt(higher).epoch()).isEqualTo(5);
        assertThat(still).isGreaterThan(higher);
    }

    @Test
    void aLeaseIsTakenByAHigherEpochOrRenewedByItsHolderOnly() {
        long a1 = log.appendLease(1, "tn-a", rec("a1"));
        long a1renewed = log.appendLease(1, "tn-a", rec("a1-renewed"));
        assertThat(log.currentLease()).isEqualTo(new Lease(1, "tn-a", a1renewed));
        assertThatThrownBy(() -> log.appendLease(1, "tn-b", rec("b1")))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> assertThat(e.highestEpoch()).isEqualTo(1));

        long b2 = log.appendLease(2, "tn-b", rec("b2"));
        assertThatThrownBy(() -> log.appendLease(1, "tn-a", rec("a1-late")))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> {
                    assertThat(e.epoch()).isEqualTo(1);
                    assertThat(e.highestEpoch()).isEqualTo(2);
                });
        assertThatThrownBy(() -> log.appendLease(2, "tn-a", rec("a2"))).isInstanceOf(StaleEpochException.class);
        assertThat(log.currentLease()).isEqualTo(new Lease(2, "tn-b", b2));

        List<LogEntry> leases = readAll(0).stream().filter(e -> e.kind() == LogEntry.Kind.LEASE).toList();
        assertThat(leases).extracting(LogEntry::lsn).containsExactly(a1, a1renewed, b2);
        assertThat(leases).extracting(LogEntry::holder).containsExactly("tn-a", "tn-a", "tn-b");
        assertThat(leases).extracting(LogEntry::epoch).containsExactly(1L, 1L, 2L);
        assertThat(leases).allSatisfy(e -> assertThat(e.records()).hasSize(1));
        assertThat(leases).extracting(e -> str(e.records().get(0))).containsExactly("a1", "a1-renewed", "b2");
    }

    /**
     * The verdict is made where the entry falls in the log, not when the caller asked: every append of the old
     * epoch that was accepted precedes the lease that fenced it, and none after it is.
     */
    @Test
    void acceptedAppendsOfAnOldEpochAllPrecedeTheLeaseThatFencedThem() throws Exception {
        log.appendLease(1, "tn-a", rec("a"));
        List<Long> accepted = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(3);
        CompletableFuture<StaleEpochException> fenced = CompletableFuture.supplyAsync(() -> {
            for (int i = 0; i < 100_000; i++) { // bound only against a log that never fences
                try {
                    accepted.add(log.append(1, List.of(rec("a-" + i))));
                    running.countDown();
                } catch (StaleEpochException e) {
                    return e;
                }
            }
            throw new AssertionError("the epoch-1 writer was never fenced");
        }, threads);
        assertThat(running.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        long lease2 = log.appendLease(2, "tn-b", rec("b"));

        assertThat(within(fenced).highestEpoch()).isEqualTo(2);
        assertThat(accepted).isNotEmpty().allSatisfy(lsn -> assertThat(lsn).isLessThan(lease2));
        List<LogEntry> epoch1 = readAll(0).stream()
                .filter(e -> e.kind() == LogEntry.Kind.DATA && e.epoch() == 1).toList();
        assertThat(epoch1).extracting(LogEntry::lsn).containsExactlyElementsOf(accepted);
    }

    /** "Leases are never group-committed with data": each lease has its own entry, in the order they were taken. */
    @Test
    void leasesNeverShareAnEntryWithDataAndKeepTheirOrder() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Integer>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            writers.add(CompletableFuture.supplyAsync(() -> {
                int n = 0;
                while (!stop.get() && n < 100_000) { // bounded: an in-memory log is fast
                    log.append(List.of(rec("w" + writer + "-" + n++)));
                }
                return n;
            }, threads));
        }
        List<Long> leaseLsns = new ArrayList<>();
        for (int epoch = 1; epoch <= 5; epoch++) {
            long lsn = log.appendLease(epoch, "tn-" + epoch, rec("p" + epoch));
            leaseLsns.add(lsn);
            assertThat(log.currentLease()).isEqualTo(new Lease(epoch, "tn-" + epoch, lsn));
        }
        stop.set(true);
        for (CompletableFuture<Integer> w : writers) {
            within(w);
        }

        assertThat(leaseLsns).isSorted().doesNotHaveDuplicates();
        List<LogEntry> all = readAll(0);
        List<LogEntry> leases = all.stream().filter(e -> e.kind() == LogEntry.Kind.LEASE).toList();
        assertThat(leases).extracting(LogEntry::lsn).containsExactlyElementsOf(leaseLsns);
        assertThat(leases).extracting(LogEntry::epoch).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(leases).extracting(e -> e.records().size()).containsOnly(1);
        Set<Long> dataLsns = new HashSet<>();
        all.stream().filter(e -> e.kind() == LogEntry.Kind.DATA).forEach(e -> dataLsns.add(e.lsn()));
        assertThat(dataLsns).doesNotContainAnyElementsOf(leaseLsns);
    }

    // ---- read barrier ----

    @Test
    void commitIndexCoversEveryAcknowledgedAppendAndLease() {
        long previous = log.commitIndex();
        for (int round = 0; round < 30; round++) {
            long lsn = round % 10 == 9 ? log.appendLease(1, "tn", rec("renew")) : log.append(List.of(rec("r" + round)));
            long commit = log.commitIndex();
            assertThat(commit).isGreaterThanOrEqualTo(lsn).isGreaterThanOrEqualTo(previous);
            previous = commit;
        }
    }

    /** "A reader that has applied up to the result has seen all of them", while appends go on. */
    @Test
    void aReaderThatReachedTheBarrierHasSeenEveryAppendAcknowledgedBeforeIt() throws Exception {
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2000 && !stop.get(); i++) { // bounded: an in-memory log is fast
                    String r = "w" + writer + "-" + i;
                    log.append(List.of(rec(r)));
                    acknowledged.add(r);
                }
            }, threads));
        }
        try {
            for (int round = 0; round < 5; round++) {
                List<String> before = List.copyOf(acknowledged);
                assertThat(records(readAll(0))).as("round %d", round).containsAll(before); // readAll asks the barrier
            }
        } finally {
            stop.set(true);
        }
        for (CompletableFuture<Void> w : writers) {
            within(w);
        }
    }

    // ---- tail ----

    @Test
    void awaitCommittedTimesOutWhenNothingIsAppended() {
        long last = log.append(List.of(rec("x")));
        awaitApplied(last);
        long far = last + 1_000_000;
        long t0 = System.nanoTime();
        assertThat(log.awaitCommitted(far, Duration.ofMillis(200))).isLessThanOrEqualTo(far);
        // a millisecond timer may round down; more is the implementation's, less would be a busy caller's problem
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
    }

    @Test
    void awaitCommittedReturnsAtOnceWhenTheLsnIsAlreadyApplied() throws Exception {
        long lsn = log.append(List.of(rec("x")));
        awaitApplied(lsn);
        // with an hour to wait, only an answer at once passes
        long applied = within(CompletableFuture.supplyAsync(() -> log.awaitCommitted(lsn - 1, Duration.ofHours(1)), threads));
        assertThat(applied).isGreaterThanOrEqualTo(lsn);
    }

    @Test
    void awaitCommittedWakesWhenAnAppendIsApplied() throws Exception {
        long applied = log.awaitCommitted(log.commitIndex() - 1, WAIT);
        CompletableFuture<Long> woke = CompletableFuture.supplyAsync(
                () -> log.awaitCommitted(applied, Duration.ofHours(1)), threads);
        long next = log.append(List.of(rec("y")));
        assertThat(within(woke)).isGreaterThan(applied).isLessThanOrEqualTo(next);
    }

    /**
     * A refused entry still takes a log index (Raft commits it; the state machine hides it), so a tail waiting
     * for the next index wakes for it too; it then reads nothing and waits again from there.
     */
    @Test
    void awaitCommittedWakesForARefusedAppendToo() throws Exception {
        log.appendLease(2, "tn", rec("lease"));
        long applied = log.awaitCommitted(log.commitIndex() - 1, WAIT);
        CompletableFuture<Long> woke = CompletableFuture.supplyAsync(
                () -> log.awaitCommitted(applied, Duration.ofHours(1)), threads);
        assertThatThrownBy(() -> log.append(1, List.of(rec("stale")))).isInstanceOf(StaleEpochException.class);
        long now = within(woke);
        assertThat(now).isGreaterThan(applied);
        LogBatch batch = log.read(applied + 1, 1 << 20);
        assertThat(batch.entries()).isEmpty();
        assertThat(batch.nextLsn()).isGreaterThan(applied);
    }

    // ---- truncation ----

    @Test
    void truncateFailsReadsBeforeThePointAndKeepsReadsFromIt() {
        List<Long> lsns = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lsns.add(log.append(List.of(rec("r" + i))));
        }
        long point = lsns.get(6);
        assertThat(log.truncateBefore(point)).isEqualTo(point);

        assertThatThrownBy(() -> log.read(point - 1, 1 << 20))
                .isInstanceOfSatisfying(LogTruncatedException.class, e -> {
                    assertThat(e.requestedLsn()).isEqualTo(point - 1);
                    assertThat(e.firstAvailableLsn()).isEqualTo(point);
                });
        assertThatThrownBy(() -> log.read(0, 1 << 20)).isInstanceOf(LogTruncatedException.class);
        LogBatch from = log.read(point, 1 << 20);
        assertThat(from.entries().get(0).lsn()).isEqualTo(point);
        long after = log.append(List.of(rec("after")));
        assertThat(after).isGreaterThan(lsns.get(9));
        assertThat(records(readAll(point))).containsExactly("r6", "r7", "r8", "r9", "after");
    }

    @Test
    void truncateIsIdempotentAndNeverMovesBack() {
        List<Long> lsns = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lsns.add(log.append(List.of(rec("r" + i))));
        }
        long point = lsns.get(3);
        assertThat(log.truncateBefore(point)).isEqualTo(point);
        assertThat(log.truncateBefore(point)).isEqualTo(point);
        assertThat(log.truncateBefore(lsns.get(1))).as("a lower point is a no-op").isEqualTo(point);
        assertThat(records(readAll(point))).containsExactly("r3", "r4", "r5");

        assertThat(log.truncateBefore(lsns.get(5))).isEqualTo(lsns.get(5));
        assertThatThrownBy(() -> log.read(point, 1 << 20)).isInstanceOf(LogTruncatedException.class);
        assertThat(records(readAll(lsns.get(5)))).containsExactly("r5");
    }

    /** A checkpoint truncates the log past the lease record; the fence it raised must stay. */
    @Test
    void truncationPastALeaseKeepsTheLeaseAndItsFence() {
        long leaseLsn = log.appendLease(3, "tn-a", rec("lease"));
        long last = 0;
        for (int i = 0; i < 3; i++) {
            last = log.append(3, List.of(rec("r" + i)));
        }
        assertThat(log.truncateBefore(last)).isEqualTo(last);

        assertThat(log.currentLease()).isEqualTo(new Lease(3, "tn-a", leaseLsn));
        assertThatThrownBy(() -> log.append(2, List.of(rec("stale")))).isInstanceOf(StaleEpochException.class);
        assertThatThrownBy(() -> log.appendLease(3, "tn-b", rec("steal"))).isInstanceOf(StaleEpochException.class);
        long renewed = log.appendLease(3, "tn-a", rec("renew"));
        log.append(3, List.of(rec("fresh")));
        assertThat(log.currentLease()).isEqualTo(new Lease(3, "tn-a", renewed));
        assertThat(records(readAll(last))).containsExactly("r2", "fresh");
    }

    // ---- limits ----

    @Test
    void anAppendOfExactlyMaxAppendBytesCommits() {
        byte[] small = {7};
        byte[] large = new byte[LogService.MAX_APPEND_BYTES - 4 - (4 + small.length)]; // 4 bytes counted per record
        large[0] = 1;
        long lsn = log.append(List.of(large, small));
        LogEntry entry = entryAt(lsn);
        assertThat(entry.records()).hasSize(2);
        assertThat(entry.records().get(0)).hasSize(large.length).startsWith(1);
        assertThat(entry.records().get(1)).containsExactly(7);
    }

    /** "A larger append fails and its outcome is not unknown but certain: nothing is written." */
    @Test
    void anAppendOverMaxAppendBytesIsRefusedAndNothingIsWritten() {
        long before = log.commitIndex();
        List<byte[]> tooLarge = List.of(new byte[LogService.MAX_APPEND_BYTES - 4 + 1]);
        assertThatThrownBy(() -> log.append(tooLarge)).isInstanceOf(IllegalArgumentException.class);
        assertThat(log.commitIndex()).isEqualTo(before);
        long next = log.append(List.of(rec("next"))); // the client goes on
        assertThat(records(readAll(0))).containsExactly("next");
        assertThat(next).isGreaterThan(before);
    }

    // ---- lifecycle ----

    @Test
    void closeIsIdempotent() {
        log.append(List.of(rec("x")));
        log.close();
        log.close();
    }
}
