package io.cairn.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.storage.AbstractObjectStoreContractTest;
import io.cairn.storage.ObjectStore;
import io.cairn.storage.ObjectStoreConnection;
import io.cairn.storage.ObjectStoreConnectionFactory;
import io.cairn.storage.StorageUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The test fixture keeps the {@link ObjectStore} contract, plus its own fault switch and JCA-style handles. */
class InMemoryStoreContractTest extends AbstractObjectStoreContractTest {

    @Override
    protected ObjectStore open() {
        return new InMemoryObjectStore();
    }

    @Override
    protected void closeStore() {
        // nothing held
    }

    @Test
    void keysTooLongOnceEncodedAreRejectedLikeTheRealStore() {
        String fits = "%".repeat(73); // 219 characters encoded
        InMemoryObjectStore.validateKey(fits);
        assertThatThrownBy(() -> store.put("%".repeat(74), new byte[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percent-encoded");
    }

    @Test
    void unavailableStoreFailsEveryCallAndReportsDown() {
        InMemoryObjectStore s = new InMemoryObjectStore();
        s.put("k", new byte[] {1, 2});
        ObjectStoreConnectionFactory factory = s.connectionFactory();
        s.setAvailable(false);
        try (ObjectStoreConnection c = factory.getConnection()) {
            assertThat(c.health().isUp()).isFalse();
            assertThatThrownBy(() -> c.get("k")).isInstanceOf(StorageUnavailableException.class);
            assertThatThrownBy(() -> c.put("j", new byte[0])).isInstanceOf(StorageUnavailableException.class);
            assertThatThrownBy(() -> c.list("")).isInstanceOf(StorageUnavailableException.class);
        }
        s.setAvailable(true);
        try (ObjectStoreConnection c = factory.getConnection()) {
            assertThat(c.health().isUp()).isTrue();
            assertThat(c.get("k")).containsExactly(1, 2);
            assertThat(c.healAll().isClean()).isTrue();
        }
    }

    @Test
    void closedHandlesRefuseCallsAndCreationTimeComesFromTheClock() {
        Instant t = Instant.parse("2030-01-02T03:04:05Z");
        InMemoryObjectStore s = new InMemoryObjectStore(Clock.fixed(t, ZoneOffset.UTC), 1024);
        ObjectStoreConnection c = s.connectionFactory().getConnection();
        c.put("k", new byte[3]);
        assertThat(c.head("k").created()).isEqualTo(t);
        c.close();
        assertThatThrownBy(() -> c.get("k")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.put("big", new byte[1025])).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.snapshot()).containsOnlyKeys("k");
    }
}
