package io.cairn.txn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.Key;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.Write;
import io.cairn.txn.WriteConflictException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConflictWindowTest {
    private static final long TABLE = 7;

    private static Key key(int id) {
        return Key.of(TABLE, ByteBuffer.allocate(4).putInt(id).array());
    }

    /** A commit of {@code count} keys from {@code first} on. */
    private static List<Write> writes(int first, int count) {
        List<Write> writes = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            writes.add(Write.put(key(i), new byte[] {1}));
        }
        return writes;
    }

    private static CommitRequest writing(int id, long readTs) {
        return new CommitRequest("t", readTs, List.of(Write.put(key(id), new byte[] {2})));
    }

    @Test
    void aKeyCommittedAfterTheReadConflictsAndOneCommittedBeforeDoesNot() {
        ConflictWindow window = new ConflictWindow(0, 1 << 20);
        window.record(100, writes(1, 1));

        assertThatThrownBy(() -> window.check(writing(1, 99))).isInstanceOf(WriteConflictException.class);
        window.check(writing(1, 100));
        window.check(writing(2, 50));
    }

    @Test
    void pastItsSizeTheOldestCommitsGoAndTheirSnapshotsAreTooOld() {
        long perKey = ConflictWindow.ENTRY_OVERHEAD + 4;
        ConflictWindow window = new ConflictWindow(0, 250 * perKey);
        window.record(100, writes(0, 100));
        window.record(200, writes(100, 100));
        assertThat(window.size()).isEqualTo(2);

        window.record(300, writes(200, 100)); // 300 keys do not fit: the commit at 100 goes

        assertThat(window.size()).isEqualTo(2);
        assertThat(window.bytes()).isEqualTo(200 * perKey);
        assertThat(window.startTs()).isEqualTo(100);
        assertThatThrownBy(() -> window.check(writing(5, 99))).isInstanceOf(SnapshotTooOldException.class);
        // what is still in the window is still checked
        assertThatThrownBy(() -> window.check(writing(150, 150))).isInstanceOf(WriteConflictException.class);
        window.check(writing(5, 100));
    }

    @Test
    void theNewestCommitStaysEvenWhenItAloneIsLargerThanTheBound() {
        ConflictWindow window = new ConflictWindow(0, 1);
        window.record(100, writes(0, 10));
        window.record(200, writes(10, 10));

        assertThat(window.size()).isEqualTo(1);
        assertThatThrownBy(() -> window.check(writing(15, 150))).isInstanceOf(WriteConflictException.class);
    }

    @Test
    void forgettingByTimeGivesBackTheBytes() {
        ConflictWindow window = new ConflictWindow(0, 1 << 20);
        window.record(100, writes(0, 10));
        window.record(200, writes(10, 10));

        window.forgetBefore(150);

        assertThat(window.bytes()).isEqualTo(10L * (ConflictWindow.ENTRY_OVERHEAD + 4));
        assertThat(window.startTs()).isEqualTo(100);
    }
}
