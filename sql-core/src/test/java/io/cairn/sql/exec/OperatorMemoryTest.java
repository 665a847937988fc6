package io.cairn.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.sql.SqlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.junit.jupiter.api.Test;

class OperatorMemoryTest {
    private static ExecContext context(long limit) {
        return new ExecContext(null, null, null, null, Map.of(), new AtomicBoolean(), 0).withOperatorMemory(limit);
    }

    private static Enumerable<Object[]> rows(int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Object[] {(long) i, "x".repeat(100)});
        }
        return Linq4j.asEnumerable(rows);
    }

    private static int drain(Enumerable<Object[]> rows) {
        int n = 0;
        try (Enumerator<Object[]> e = rows.enumerator()) {
            while (e.moveNext()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void rowsPastTheLimitStopTheStatementWith1038() {
        ExecContext ctx = context(10_000);
        assertThatThrownBy(() -> drain(OperatorMemory.meter(ctx, rows(1000))))
                .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.error().code()).isEqualTo(1038));
    }

    @Test
    void aClosedStreamNoLongerCountsSoARepeatedSubqueryIsNotSummed() {
        ExecContext ctx = context(10_000);
        for (int run = 0; run < 100; run++) {
            assertThat(drain(OperatorMemory.meter(ctx, rows(20)))).isEqualTo(20);
        }
        assertThat(ctx.operatorMemory().held()).isZero();
    }

    @Test
    void streamsOpenAtOnceShareTheLimit() {
        ExecContext ctx = context(10_000);
        Enumerator<Object[]> first = OperatorMemory.meter(ctx, rows(20)).enumerator();
        while (first.moveNext()) {
            // held until closed
        }
        long held = ctx.operatorMemory().held();
        assertThat(held).isPositive();
        try (Enumerator<Object[]> second = OperatorMemory.meter(ctx, rows(1000)).enumerator()) {
            assertThatThrownBy(() -> {
                while (second.moveNext()) {
                    // the second stream's rows join the first's
                }
            }).isInstanceOf(SqlException.class);
        }
        first.close();
        assertThat(ctx.operatorMemory().held()).isZero();
    }

    @Test
    void outsideAnExecutionNothingIsCounted() {
        Enumerable<Object[]> input = rows(5);
        assertThat(OperatorMemory.meter(null, input)).isSameAs(input);
    }
}
