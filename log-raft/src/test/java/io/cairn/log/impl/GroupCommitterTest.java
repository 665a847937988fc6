package io.cairn.log.impl;

import io.cairn.log.LogUnavailableException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitterTest {
    /** A sender whose entries complete only when the test says so. */
    private static final class ManualSender {
        final List<Long> epochs = new ArrayList<>();
        final List<List<byte[]>> entries = new ArrayList<>();
        final List<CompletableFuture<Long>> futures = new ArrayList<>();

        synchronized CompletableFuture<Long> send(long epoch, List<byte[]> records) {
            epochs.add(epoch);
            entries.add(records);
            CompletableFuture<Long> f = new CompletableFuture<>();
            futures.add(f);
            return f;
        }
    }

    private static byte[] b(int v) {
        return new byte[] {(byte) v};
    }

    @Test
    void appendsQueuedWhileAnEntryIsInFlightShareTheNextEntry() throws Exception {
        ManualSender sender = new ManualSender();
        GroupCommitter gc = new GroupCommitter(sender::send, Runnable::run, 1 << 20);
        CompletableFuture<Long> first = gc.submit(-1, List.of(b(1)));
        CompletableFuture<Long> second = gc.submit(-1, List.of(b(2), b(3)));
        CompletableFuture<Long> third = gc.submit(-1, List.of(b(4)));
        assertThat(sender.entries).hasSize(1);

        sender.futures.get(0).complete(10L);
        assertThat(first.get()).isEqualTo(10L);
        assertThat(sender.entries).hasSize(2);
        assertThat(sender.entries.get(1)).extracting(r -> r[0]).containsExactly((byte) 2, (byte) 3, (byte) 4);

        sender.futures.get(1).complete(11L);
        assertThat(second.get()).isEqualTo(11L);
        assertThat(third.get()).isEqualTo(11L);
    }

    @Test
    void entriesNeverMixEpochsOrExceedTheByteLimit() {
        ManualSender sender = new ManualSender();
        GroupCommitter gc = new GroupCommitter(sender::send, Runnable::run, 2);
        gc.submit(1, List.of(b(0)));
        gc.submit(1, List.of(b(1)));
        gc.submit(1, List.of(b(2)));
        gc.submit(1, List.of(b(3)));
        gc.submit(2, List.of(b(4)));
        sender.futures.get(0).complete(1L);
        sender.futures.get(1).complete(2L);
        sender.futures.get(2).complete(3L);
        assertThat(sender.epochs).containsExactly(1L, 1L, 1L, 2L);
        assertThat(sender.entries.get(1)).hasSize(2);
        assertThat(sender.entries.get(2)).hasSize(1);
    }

    @Test
    void failuresReachEveryCallerOfTheEntryAndCloseFailsTheQueue() {
        ManualSender sender = new ManualSender();
        GroupCommitter gc = new GroupCommitter(sender::send, Runnable::run, 1 << 20);
        gc.submit(-1, List.of(b(1)));
        CompletableFuture<Long> a = gc.submit(-1, List.of(b(2)));
        CompletableFuture<Long> c = gc.submit(-1, List.of(b(3)));
        sender.futures.get(0).complete(1L);
        sender.futures.get(1).completeExceptionally(new LogUnavailableException("down"));
        assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(LogUnavailableException.class);
        assertThatThrownBy(c::get).hasCauseInstanceOf(LogUnavailableException.class);

        gc.submit(-1, List.of(b(4)));
        CompletableFuture<Long> queued = gc.submit(-1, List.of(b(5)));
        gc.close();
        assertThatThrownBy(queued::get).hasCauseInstanceOf(LogUnavailableException.class);
        assertThat(gc.submit(-1, List.of(b(6)))).isCompletedExceptionally();
    }

    @Test
    void everyCallersAppendIsReportedWithItsOwnLatencyAndOutcome() {
        ManualSender sender = new ManualSender();
        long[] now = {1_000};
        GroupCommitter gc = new GroupCommitter(sender::send, Runnable::run, 1 << 20, () -> now[0]);
        List<String> seen = new ArrayList<>();
        gc.observe((nanos, durable) -> seen.add(nanos + ":" + durable));
        gc.submit(1, List.of(b(1)));        // at 1000, in flight at once
        now[0] = 1_300;
        gc.submit(1, List.of(b(2)));        // at 1300, queued behind it
        now[0] = 2_000;
        sender.futures.get(0).complete(7L); // the first took 1000 ns
        assertThat(seen).containsExactly("1000:true");
        now[0] = 2_500;
        sender.futures.get(1).completeExceptionally(new LogUnavailableException("no majority"));
        assertThat(seen).containsExactly("1000:true", "1200:false");

        gc.observe(null); // back to nothing
        gc.submit(1, List.of(b(3)));
        sender.futures.get(2).complete(8L);
        assertThat(seen).hasSize(2);
    }
}
