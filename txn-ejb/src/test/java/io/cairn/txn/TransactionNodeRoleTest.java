package io.cairn.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.log.GroupInfo;
import io.cairn.log.LogAdmin;
import io.cairn.node.testing.Wait;
import io.cairn.server.ObjectStoreCheckpoints;
import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.txn.backup.Promotion;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.standby.Standby;
import io.cairn.txn.standby.StandbyMarker;
import io.cairn.txn.testing.InMemoryLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TN role over an in-memory log and object storage: what its cluster's own storage says about writes. */
class TransactionNodeRoleTest {
    private final InMemoryLog log = new InMemoryLog();
    private final CheckpointStore store = ObjectStoreCheckpoints.over(new InMemoryObjectStore());
    private TransactionNodeRole role;

    /** A single log peer that leads: nothing to pull. */
    private static final LogAdmin ADMIN = new LogAdmin() {
        @Override
        public GroupInfo groupInfo() {
            return new GroupInfo("tn1", 1, 0, List.of());
        }

        @Override
        public void transferLeadership(String peerId) {
        }

        @Override
        public void addPeer(String peerId, String address) {
        }

        @Override
        public void removePeer(String peerId) {
        }
    };

    @AfterEach
    void stop() {
        if (role != null) {
            role.stop();
        }
    }

    private TransactionService started() {
        role = new TransactionNodeRole(() -> log, () -> ADMIN, store, "tn1", "tn1:9080", 64 << 20);
        role.start();
        Wait.until("the TN active", Duration.ofSeconds(30), () -> role.epoch() > 0);
        return role.service();
    }

    @Test
    void aStandbyStartedWithoutWhatItFollowsTakesNoWritesUntilPromoted() {
        new StandbyMarker("/backups/primary").recordIn(store);
        TransactionService tn = started();
        assertThatThrownBy(() -> tn.commit(new CommitRequest("t1", 0, List.of(Write.put(Key.of(1, new byte[] {1}),
                new byte[] {1}))))).isInstanceOfSatisfying(ReadOnlyClusterException.class, e -> assertThat(e.getMessage())
                        .contains("a standby of /backups/primary, started without cairn.standby.of"));
    }

    @Test
    void aPromotedStandbyStartedWithoutWhatItFollowedTakesWrites() {
        new StandbyMarker("/backups/primary").recordIn(store);
        store.put(Standby.MARKER, Promotion.now("tn1", 0).encode());
        TransactionService tn = started();
        tn.commit(new CommitRequest("t1", 0, List.of(Write.put(Key.of(1, new byte[] {1}), new byte[] {1}))));
    }
}
