package io.cairn.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.frontend.DdlParser;
import io.cairn.sql.frontend.DdlStatement;
import io.cairn.sql.frontend.Lexer;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RowChecksum} against the checksums MariaDB 10.11.19 (InnoDB, utf8mb4, time zone UTC) gave for the same
 * tables and rows. Each case is the SQL that was run there, unchanged, with {@code CHECKSUM TABLE} of the table
 * after it: {@code mariadb --default-character-set=utf8mb4} on {@code ../shared/bench/peer-mariadb.sh}'s server,
 * in an empty database. The test parses the CREATE TABLE with Cairn's DDL parser, converts the INSERT's literals
 * to stored values as an INSERT into Cairn would ({@code SqlType.coerce}) and sums the rows' checksums.
 */
class RowChecksumTest {

    static Stream<Arguments> mariadbChecksums() {
        return Stream.of(
                Arguments.of("""
                        CREATE TABLE ints (a TINYINT NOT NULL, b SMALLINT, c MEDIUMINT, d INT, e BIGINT, f TINYINT UNSIGNED,
                          g SMALLINT UNSIGNED, h MEDIUMINT UNSIGNED, i INT UNSIGNED, j BIGINT UNSIGNED, k BOOLEAN)""", """
                        INSERT INTO ints VALUES (-128, -32768, -8388608, -2147483648, -9223372036854775808, 255, 65535,
                          16777215, 4294967295, 18446744073709551615, 1),
                          (127, 32767, 8388607, 2147483647, 9223372036854775807, 0, 0, 0, 0, 0, 0),
                          (0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""", 2927114461L),
                Arguments.of("""
                        CREATE TABLE decimals (a DECIMAL(20,10) NOT NULL, b DECIMAL(5,0), c DECIMAL(3,3), d DECIMAL(65,30),
                          e DECIMAL(12,4), f DECIMAL(10,2) UNSIGNED, g DECIMAL(18,9))""", """
                        INSERT INTO decimals VALUES (-1234567890.0123456789, 0, -0.5,
                          12345678901234567890123456789012345.123456789012345678901234567891, -0.0001, 99999999.99,
                          123456789.123456789),
                          (0, -99999, 0.999, -1, 42, 0, -0.000000001), (1, NULL, NULL, NULL, NULL, NULL, NULL)""",
                        3536833268L),
                Arguments.of("CREATE TABLE floats (a FLOAT, b DOUBLE, c FLOAT(7,2), d DOUBLE(10,3) NOT NULL)", """
                        INSERT INTO floats VALUES (1.1, 2.2, 12345.68, -3.142), (-0.5, 1e300, NULL, 0),
                          (NULL, NULL, 0.25, 1.5)""", 2433408064L),
                Arguments.of("""
                        CREATE TABLE strings (id INT NOT NULL, a CHAR(5), b CHAR(3) NOT NULL, c VARCHAR(20), d TEXT,
                          e TINYTEXT, f MEDIUMTEXT, g LONGTEXT)""", """
                        INSERT INTO strings VALUES (1, 'ab', 'é🪨', '', 'héllo wörld', 'tiny', 'medium', 'long'),
                          (2, 'ab   ', 'x', 'trailing  ', '', NULL, NULL, NULL),
                          (3, NULL, '', NULL, NULL, '🪨', '', 'it''s')""", 3716080488L),
                Arguments.of("CREATE TABLE fixedstrings (a CHAR(4) NOT NULL, b CHAR(1) NOT NULL, c BINARY(3) NOT NULL)",
                        "INSERT INTO fixedstrings VALUES ('ab', 'z', 'a'), ('', '', '')", 3365359793L),
                Arguments.of("""
                        CREATE TABLE binaries (id INT NOT NULL, a BINARY(5), b VARBINARY(10), c TINYBLOB, d BLOB,
                          e MEDIUMBLOB, f LONGBLOB)""", """
                        INSERT INTO binaries VALUES (1, x'00ff', x'ff00fe', x'', x'deadbeef', x'c0', x'00'),
                          (2, NULL, NULL, NULL, NULL, NULL, NULL), (3, 'abcde', '', 'x', '', 'y', 'z')""", 3701072593L),
                Arguments.of("""
                        CREATE TABLE temporals (a DATE, b DATETIME, c DATETIME(3), d DATETIME(6), e TIMESTAMP NULL,
                          f TIMESTAMP(3) NULL, g TIME, h TIME(1), i TIME(3), j YEAR)""", """
                        INSERT INTO temporals VALUES ('2024-03-05', '2024-03-05 13:14:15', '2024-03-05 13:14:15.123',
                          '1999-12-31 23:59:59.123', '2024-03-05 13:14:15', '2038-01-19 03:14:07.999', '13:14:15',
                          '23:59:59.9', '00:00:00.001', 2024),
                          ('1000-01-01', '9999-12-31 23:59:59', '1970-01-01 00:00:00', '2000-02-29 12:00:00.5',
                          '1970-01-01 00:00:01', '2001-09-09 01:46:40.5', '00:00:00', '12:00:00', '10:11:12', 1901),
                          (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)""", 1258167962L),
                // null flags over two bytes, after the deleted bit (no variable-length column)
                Arguments.of("""
                        CREATE TABLE nulls9 (a INT, b INT NOT NULL, c INT, d INT, e INT, f INT, g INT, h INT, i INT,
                          j INT)""", """
                        INSERT INTO nulls9 VALUES (1,2,NULL,4,NULL,6,7,8,NULL,10),
                          (NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL)""", 2161782257L),
                // eight null flags and a VARCHAR: no deleted bit, one full byte
                Arguments.of("""
                        CREATE TABLE nulls8packed (a INT, b VARCHAR(3), c INT, d INT, e INT, f INT, g INT,
                          h INT)""", "INSERT INTO nulls8packed VALUES (1,'',3,NULL,5,6,7,NULL)", 3656489156L),
                // seven null flags and the deleted bit: one full byte
                Arguments.of("CREATE TABLE nulls7 (a INT, c INT, d INT, e INT, f INT, g INT, h INT)",
                        "INSERT INTO nulls7 VALUES (1,NULL,3,4,5,6,NULL)", 3702930046L),
                // no nullable column: still a null-flag byte (0xFF) for the deleted bit
                Arguments.of("CREATE TABLE notnull (x INT NOT NULL)", "INSERT INTO notnull VALUES (1)", 3036305396L),
                // no nullable column and a VARCHAR: no null-flag byte at all
                Arguments.of("CREATE TABLE notnullpacked (x INT NOT NULL, v VARCHAR(10) NOT NULL)",
                        "INSERT INTO notnullpacked VALUES (1,'ab')", 2781096084L),
                Arguments.of("CREATE TABLE empty (a INT)", "", 0L),
                // the rows' checksums add up to 4994631396: the sum wraps at 2^32
                Arguments.of("CREATE TABLE wraps (x INT, v VARCHAR(10))", "INSERT INTO wraps VALUES (1,'ab'),(NULL,NULL)",
                        699664100L));
    }

    @ParameterizedTest
    @MethodSource
    void mariadbChecksums(String create, String insert, long mariadbChecksum) {
        List<ColumnDefinition> columns = ((DdlStatement.CreateTable) DdlParser.parse(
                new TokenCursor(create, Lexer.tokenize(create)))).columns();
        RowChecksum checksum = new RowChecksum(columns);
        long table = 0;
        for (List<Object> literals : rows(insert)) {
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = columns.get(i).type().coerce(literals.get(i), columns.get(i).name(), 1);
            }
            table = RowChecksum.add(table, checksum.of(row));
        }
        assertThat(table).isEqualTo(mariadbChecksum);
    }

    /** The rows of {@code INSERT INTO t VALUES (…), …} whose values are literals: strings, numbers, x'…', NULL. */
    private static List<List<Object>> rows(String insert) {
        List<List<Object>> rows = new ArrayList<>();
        List<Object> row = null;
        boolean negative = false;
        for (Token t : Lexer.tokenize(insert)) {
            if (t.isSymbol("(")) {
                row = new ArrayList<>();
            } else if (t.isSymbol(")")) {
                rows.add(row);
                row = null;
            } else if (row != null && t.isSymbol("-")) {
                negative = true;
            } else if (row != null && !t.isSymbol(",")) {
                row.add(switch (t.type()) {
                    case NUMBER -> new BigDecimal((negative ? "-" : "") + t.text());
                    case STRING -> t.text();
                    case HEX -> HexFormat.of().parseHex(t.text());
                    default -> {
                        assertThat(t.keyword()).isEqualTo("NULL");
                        yield null;
                    }
                });
                negative = false;
            }
        }
        return rows;
    }
}
