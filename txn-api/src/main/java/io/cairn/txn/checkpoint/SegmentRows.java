package io.cairn.txn.checkpoint;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Every row of one segment in key order, read a block at a time with ranged reads: memory holds the
 * index and one block. For merges, which read segments once from start to end.
 *
 * <p>Not thread-safe.
 */
public final class SegmentRows implements Iterator<CheckpointRow> {
    private final SegmentIndex.RangeReader reader;
    private final SegmentIndex index;
    private int block = -1;
    private Block current;
    private int row;

    public SegmentRows(CheckpointStore store, Manifest.Segment segment) {
        this.reader = (offset, length) -> store.get(segment.objectKey(), offset, length);
        this.index = SegmentIndex.read(reader, segment.bytes());
    }

    @Override
    public boolean hasNext() {
        while (current == null || row >= current.size()) {
            if (block + 1 >= index.blocks()) {
                return false;
            }
            current = index.readBlock(reader, ++block);
            row = 0;
        }
        return true;
    }

    @Override
    public CheckpointRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.row(row++);
    }
}
