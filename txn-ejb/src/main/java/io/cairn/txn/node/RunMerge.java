package io.cairn.txn.node;

import io.cairn.txn.checkpoint.CheckpointRow;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merges runs of one table, each in key order, into one stream of the newest state per key. Memory
 * holds one row (and whatever each input buffers, a block) per run, never a table.
 *
 * <p>Not thread-safe.
 */
final class RunMerge implements Iterator<CheckpointRow> {
    private final PriorityQueue<Head> heads;
    private final boolean deletions;
    private CheckpointRow next;

    /** The next row of one run; {@code age} 0 is the newest run. */
    private record Head(CheckpointRow row, int age, Iterator<CheckpointRow> rest) {
    }

    /**
     * @param newestFirst the runs, the newest first
     * @param deletions   whether deletions are kept (false when nothing older remains for them to hide)
     */
    RunMerge(List<Iterator<CheckpointRow>> newestFirst, boolean deletions) {
        this.deletions = deletions;
        this.heads = new PriorityQueue<>(Math.max(1, newestFirst.size()), (a, b) -> {
            int c = Arrays.compareUnsigned(a.row().key(), b.row().key());
            return c != 0 ? c : Integer.compare(a.age(), b.age());
        });
        for (int age = 0; age < newestFirst.size(); age++) {
            advance(newestFirst.get(age), age);
        }
        this.next = compute();
    }

    private void advance(Iterator<CheckpointRow> run, int age) {
        if (run.hasNext()) {
            heads.add(new Head(run.next(), age, run));
        }
    }

    private CheckpointRow compute() {
        while (!heads.isEmpty()) {
            Head newest = heads.poll();
            advance(newest.rest(), newest.age());
            while (!heads.isEmpty() && Arrays.equals(heads.peek().row().key(), newest.row().key())) {
                Head older = heads.poll();
                advance(older.rest(), older.age());
            }
            if (deletions || newest.row().value() != null) {
                return newest.row();
            }
        }
        return null;
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public CheckpointRow next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        CheckpointRow row = next;
        next = compute();
        return row;
    }
}
