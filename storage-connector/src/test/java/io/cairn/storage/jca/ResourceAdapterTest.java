package io.cairn.storage.jca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.storage.ObjectStoreConnection;
import io.cairn.storage.ObjectStoreConnectionFactory;
import io.cairn.storage.StorageException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JCA adapters, used non-managed (as a container would, minus pooling). */
class ResourceAdapterTest {
    @TempDir
    Path root;

    private ObjectStoreManagedConnectionFactory mcf(int k, int m) {
        ObjectStoreManagedConnectionFactory f = new ObjectStoreManagedConnectionFactory();
        f.setEndpoints(IntStream.range(0, k + m).mapToObj(i -> "dir:" + root.resolve("e" + i))
                .collect(Collectors.joining(",")));
        f.setDataShards(k);
        f.setParityShards(m);
        return f;
    }

    @Test
    void connectionRoundTripsAndClosesCleanly() {
        CairnStorageResourceAdapter ra = new CairnStorageResourceAdapter();
        ra.start(null);
        ObjectStoreManagedConnectionFactory mcf = mcf(4, 2);
        mcf.setResourceAdapter(ra);
        ObjectStoreConnectionFactory cf = (ObjectStoreConnectionFactory) mcf.createConnectionFactory();
        ObjectStoreConnection held;
        try (ObjectStoreConnection c = cf.getConnection()) {
            c.put("a/b", new byte[] {1, 2, 3});
            assertThat(c.get("a/b")).containsExactly(1, 2, 3);
            assertThat(c.list("a/")).containsExactly("a/b");
            assertThat(c.health().isUp()).isTrue();
            assertThat(c.health().healthyEndpoints()).isEqualTo(6);
            assertThat(c.healAll().isClean()).isTrue();
            held = c;
        }
        assertThatThrownBy(() -> held.get("a/b")).isInstanceOf(IllegalStateException.class);
        try (ObjectStoreConnection c = cf.getConnection()) {
            assertThat(c.get("a/b")).containsExactly(1, 2, 3); // data outlives handles
        }
        ra.stop();
    }

    @Test
    void closingAHandleNotifiesTheContainer() throws Exception {
        ObjectStoreManagedConnectionFactory mcf = mcf(1, 0);
        ObjectStoreManagedConnection mc = (ObjectStoreManagedConnection) mcf.createManagedConnection(null, null);
        List<ConnectionEvent> events = new ArrayList<>();
        mc.addConnectionEventListener(new ConnectionEventListener() {
            @Override
            public void connectionClosed(ConnectionEvent e) {
                events.add(e);
            }

            @Override
            public void localTransactionStarted(ConnectionEvent e) {
            }

            @Override
            public void localTransactionCommitted(ConnectionEvent e) {
            }

            @Override
            public void localTransactionRolledback(ConnectionEvent e) {
            }

            @Override
            public void connectionErrorOccurred(ConnectionEvent e) {
            }
        });
        ObjectStoreConnection h = (ObjectStoreConnection) mc.getConnection(null, null);
        h.close();
        h.close();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.getConnectionHandle()).isSameAs(h));
        assertThat(mcf.matchManagedConnections(Set.of(mc), null, null)).isSameAs(mc);
        mc.destroy();
        mcf.closeStore();
    }

    @Test
    void badConfigurationNamesTheProperty() {
        ObjectStoreManagedConnectionFactory mcf = mcf(4, 2);
        mcf.setParityShards(1);
        ObjectStoreConnectionFactory cf = (ObjectStoreConnectionFactory) mcf.createConnectionFactory();
        assertThatThrownBy(cf::getConnection).isInstanceOf(StorageException.class)
                .hasMessageContaining("'endpoints'").hasMessageContaining("need exactly");
        ObjectStoreManagedConnectionFactory s3 = new ObjectStoreManagedConnectionFactory();
        s3.setEndpoints("s3:http://127.0.0.1:1,s3:http://127.0.0.1:2,s3:http://127.0.0.1:3,"
                + "s3:http://127.0.0.1:4,s3:http://127.0.0.1:5,s3:http://127.0.0.1:6");
        assertThatThrownBy(s3::toConfig).hasMessageContaining("'accessKey'");
    }

    @Test
    void factoryEqualityFollowsConfiguration() {
        assertThat(mcf(4, 2)).isEqualTo(mcf(4, 2)).hasSameHashCodeAs(mcf(4, 2));
        assertThat(mcf(4, 2)).isNotEqualTo(mcf(3, 1));
    }
}
