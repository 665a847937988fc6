package io.cairn.sql.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class InsertValuesTest {
    private static InsertValues parse(String sql) {
        List<Token> tokens = Lexer.tokenize(sql);
        return InsertValues.parse(tokens);
    }

    @Test
    void literalRowsAreReadWithoutCalcite() {
        InsertValues v = parse("INSERT INTO shop.`order` (id, price, note, data, flag, qty) VALUES "
                + "(1, -2.50, 'it''s', x'0aff', TRUE, DEFAULT), (-9223372036854775808, 1e3, NULL, b'101', FALSE, +7)");
        assertThat(v).isNotNull();
        assertThat(v.database()).isEqualTo("shop");
        assertThat(v.table()).isEqualTo("order");
        assertThat(v.columns()).containsExactly("id", "price", "note", "data", "flag", "qty");
        assertThat(v.rows()).hasSize(2);
        Object[] r0 = v.rows().get(0);
        assertThat(r0[0]).isEqualTo(1L);
        assertThat(r0[1]).isEqualTo(new BigDecimal("-2.50"));
        assertThat(r0[2]).isEqualTo("it's");
        assertThat((byte[]) r0[3]).containsExactly(0x0a, 0xff);
        assertThat(r0[4]).isEqualTo(Boolean.TRUE);
        assertThat(r0[5]).isSameAs(InsertValues.DEFAULT);
        Object[] r1 = v.rows().get(1);
        assertThat(r1[0]).isEqualTo(Long.MIN_VALUE);
        assertThat(r1[1]).isEqualTo(1000.0);
        assertThat(r1[2]).isNull();
        assertThat(r1[3]).isEqualTo(5L);
        assertThat(r1[5]).isEqualTo(7L);
    }

    @Test
    void anythingButLiteralsIsLeftToCalcite() {
        assertThat(parse("INSERT INTO t VALUES (1 + 1)")).isNull();
        assertThat(parse("INSERT INTO t VALUES (NOW())")).isNull();
        assertThat(parse("INSERT INTO t VALUES (_utf8mb4'x')")).isNull();
        assertThat(parse("INSERT INTO t VALUES (?)")).isNull();
        assertThat(parse("INSERT INTO t SELECT * FROM u")).isNull();
        assertThat(parse("INSERT INTO t VALUES (1), (2")).isNull();
        assertThat(parse("INSERT INTO t (a VALUES (1)")).isNull();
        InsertValues all = parse("INSERT INTO t VALUES (1, 'a')");
        assertThat(all.columns()).isEmpty();
        assertThat(all.database()).isNull();
    }
}
