package io.cairn.sql.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.data.CommitObserver;
import io.cairn.data.DataNode;
import io.cairn.data.testing.InProcessCluster;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AutoIncrementAllocatorTest {
    private static final long COUNTER = 42;

    private InProcessCluster cluster;
    private DataNode node;
    private final AtomicInteger commits = new AtomicInteger();

    @BeforeEach
    void start() {
        cluster = InProcessCluster.builder().build();
        node = cluster.cn(0);
        node.observeCommits((outcome, nanos) -> commits.incrementAndGet());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aStatementOfManyRowsTakesItsValuesInOneTrip() {
        AutoIncrementAllocator allocator = new AutoIncrementAllocator(node, new CatalogStore());
        for (int i = 0; i < 2_600; i++) {
            assertThat(allocator.next(COUNTER, 2_600 - i)).isEqualTo(1 + i);
        }
        assertThat(commits.get()).isEqualTo(1);
    }

    @Test
    void singleRowsTakeABatchAtATime() {
        AutoIncrementAllocator allocator = new AutoIncrementAllocator(node, new CatalogStore());
        for (int i = 0; i < 2 * AutoIncrementAllocator.BATCH + 1; i++) {
            assertThat(allocator.next(COUNTER)).isEqualTo(1 + i);
        }
        assertThat(commits.get()).isEqualTo(3);
    }

    @Test
    void anotherNodeContinuesAfterTheWholeReservedRange() {
        new AutoIncrementAllocator(node, new CatalogStore()).next(COUNTER, 1_000);

        assertThat(new AutoIncrementAllocator(node, new CatalogStore()).next(COUNTER)).isEqualTo(1_001);
    }
}
