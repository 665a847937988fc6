package io.cairn.sql.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** How an INTERVAL's amount is read; each case checked against MariaDB 10.11. */
class MysqlIntervalTest {
    private static final LocalDateTime T = LocalDateTime.parse("2026-01-31T03:04:05.123456");

    @Test
    void simpleUnitsRoundToWholeUnitsButSecondsKeepSixDecimals() {
        assertThat(MysqlInterval.of(new BigDecimal("1.5"), "DAY", 1)).isEqualTo(new MysqlInterval(0, 2 * 86_400_000_000L));
        assertThat(MysqlInterval.of(new BigDecimal("2.5"), "microsecond", 1)).isEqualTo(new MysqlInterval(0, 3));
        assertThat(MysqlInterval.of(new BigDecimal("1.5"), "SECOND", -1)).isEqualTo(new MysqlInterval(0, -1_500_000));
        assertThat(MysqlInterval.of(2, "SQL_TSI_QUARTER", 1)).isEqualTo(new MysqlInterval(6, 0));
        assertThat(MysqlInterval.of(null, "DAY", 1)).isNull();
        assertThat(MysqlInterval.of("x", "DAY", 1)).isNull();
    }

    @Test
    void compoundUnitsFillTheirRightmostFields() {
        assertThat(MysqlInterval.of("1.05", "SECOND_MICROSECOND", 1)).isEqualTo(new MysqlInterval(0, 1_050_000));
        assertThat(MysqlInterval.of("3", "DAY_HOUR", 1)).isEqualTo(new MysqlInterval(0, 3 * 3_600_000_000L));
        assertThat(MysqlInterval.of("-1 2", "DAY_HOUR", 1)).isEqualTo(new MysqlInterval(0, -26 * 3_600_000_000L));
        assertThat(MysqlInterval.of("1 2", "DAY_HOUR", -1)).isEqualTo(new MysqlInterval(0, -26 * 3_600_000_000L));
        assertThat(MysqlInterval.of("2-3", "YEAR_MONTH", 1)).isEqualTo(new MysqlInterval(27, 0));
        assertThat(MysqlInterval.of("1 2 3", "DAY_HOUR", 1)).isNull();
    }

    @Test
    void monthsClampToTheMonthsLastDayAndYearsStopAt9999() {
        assertThat(new MysqlInterval(1, 0).addTo(T)).isEqualTo(LocalDateTime.parse("2026-02-28T03:04:05.123456"));
        assertThat(new MysqlInterval(0, 1).addTo(T)).isEqualTo(LocalDateTime.parse("2026-01-31T03:04:05.123457"));
        assertThat(new MysqlInterval(12 * 8000, 0).addTo(T)).isNull();
    }
}
