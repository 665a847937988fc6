package io.cairn.sql.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.sql.SqlException;
import io.cairn.sql.exec.ExecContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The runtime of MySQL's conversions and functions, against MySQL 8's answers: string-to-number
 * conversions with their 1292 warnings, STRCMP in the default collation, and SLEEP ending early when
 * its statement is killed or times out.
 */
class MysqlFunctionsTest {
    private final List<String> warnings = new ArrayList<>();
    private final AtomicBoolean cancel = new AtomicBoolean();

    private ExecContext context(long deadlineNanos) {
        return new ExecContext(null, QueryCompiler.TYPE_FACTORY, null, null, Map.of(), cancel, 0L, deadlineNanos,
                (code, message) -> warnings.add(code + " " + message));
    }

    @Test
    void stringsInNumericContextWarnWhenNotWhollyANumber() {
        ExecContext root = context(Long.MAX_VALUE);
        assertThat(MysqlFunctions.toDouble(root, "12abc")).isEqualTo(12.0);
        assertThat(MysqlFunctions.toDouble(root, " 1.5e1 ")).isEqualTo(15.0);
        assertThat(MysqlFunctions.toDouble(root, "abc")).isEqualTo(0.0);
        assertThat(MysqlFunctions.toDouble(root, "")).isEqualTo(0.0);
        assertThat(MysqlFunctions.toDouble(root, "-.5")).isEqualTo(-0.5);
        assertThat(MysqlFunctions.toDouble(root, 7L)).isEqualTo(7.0);
        assertThat(MysqlFunctions.toDouble(root, null)).isNull();
        assertThat(warnings).containsExactly("1292 Truncated incorrect DOUBLE value: '12abc'",
                "1292 Truncated incorrect DOUBLE value: 'abc'", "1292 Truncated incorrect DOUBLE value: ''");
    }

    @Test
    void castToSignedTakesTheIntegerPrefixClippedToBigint() {
        ExecContext root = context(Long.MAX_VALUE);
        assertThat(MysqlFunctions.toSigned(root, "x")).isZero();
        assertThat(MysqlFunctions.toSigned(root, "12.7")).isEqualTo(12L);
        assertThat(MysqlFunctions.toSigned(root, " -42 ")).isEqualTo(-42L);
        assertThat(MysqlFunctions.toSigned(root, "99999999999999999999")).isEqualTo(Long.MAX_VALUE);
        assertThat(warnings).containsExactly("1292 Truncated incorrect INTEGER value: 'x'",
                "1292 Truncated incorrect INTEGER value: '12.7'",
                "1292 Truncated incorrect INTEGER value: '99999999999999999999'");
        warnings.clear();
        assertThat(MysqlFunctions.toDecimal(root, "1.25x")).isEqualByComparingTo(new BigDecimal("1.25"));
        assertThat(MysqlFunctions.toDecimal(root, "3")).isEqualByComparingTo(new BigDecimal("3"));
        assertThat(warnings).containsExactly("1292 Truncated incorrect DECIMAL value: '1.25x'");
    }

    @Test
    void warningsOutsideAnExecutionAreDropped() {
        assertThat(MysqlFunctions.toDouble(new Object(), "1x")).isEqualTo(1.0);
        assertThat(warnings).isEmpty();
    }

    @Test
    void strcmpIsMinusOneZeroOneInTheDefaultCollation() {
        assertThat(MysqlFunctions.strcmp("a", "b")).isEqualTo(-1L);
        assertThat(MysqlFunctions.strcmp("b", "a")).isEqualTo(1L);
        assertThat(MysqlFunctions.strcmp("text", "TEXT")).isZero();
        assertThat(MysqlFunctions.strcmp("a ", "a")).isZero();
        assertThat(MysqlFunctions.strcmp("x", "xy")).isEqualTo(-1L);
        assertThat(MysqlFunctions.strcmp(10L, 9L)).isEqualTo(-1L); // compared as strings
        assertThat(MysqlFunctions.strcmp(null, "a")).isNull();
    }

    @Test
    void sleepReturnsZeroOrOneWhenInterrupted() {
        assertThat(MysqlFunctions.sleep(context(Long.MAX_VALUE), 0.01)).isZero();
        cancel.set(true);
        long start = System.nanoTime();
        assertThat(MysqlFunctions.sleep(context(Long.MAX_VALUE), 30)).isEqualTo(1L);
        cancel.set(false);
        assertThat(MysqlFunctions.sleep(context(System.nanoTime() + 20_000_000L), 30)).isEqualTo(1L);
        assertThat(System.nanoTime() - start).as("ended early").isLessThan(10_000_000_000L);
        assertThatThrownBy(() -> MysqlFunctions.sleep(context(Long.MAX_VALUE), -1))
                .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.getMessage()).contains("sleep"));
        assertThatThrownBy(() -> MysqlFunctions.sleep(context(Long.MAX_VALUE), null)).isInstanceOf(SqlException.class);
    }
}
