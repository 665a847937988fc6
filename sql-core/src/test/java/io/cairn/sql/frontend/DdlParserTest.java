package io.cairn.sql.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.catalog.DataType;
import org.junit.jupiter.api.Test;

class DdlParserTest {
    private static DdlStatement parse(String sql) {
        return DdlParser.parse(new TokenCursor(sql, Lexer.tokenize(sql)));
    }

    @Test
    void sysbenchCreateTable() {
        DdlStatement.CreateTable t = (DdlStatement.CreateTable) parse("CREATE TABLE sbtest1(id INTEGER NOT NULL "
                + "AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT NULL, c CHAR(120) DEFAULT '' NOT NULL, "
                + "pad CHAR(60) DEFAULT '' NOT NULL, PRIMARY KEY (id)) /*! ENGINE = innodb */");
        assertThat(t.table().name()).isEqualTo("sbtest1");
        assertThat(t.primaryKey()).containsExactly("id");
        ColumnDefinition k = t.columns().get(1);
        assertThat(k.nullable()).isFalse();
        assertThat(k.defaultKind()).isEqualTo(ColumnDefinition.DefaultKind.LITERAL);
        assertThat(k.defaultText()).isEqualTo("0");
        assertThat(t.columns().get(0).autoIncrement()).isTrue();
        assertThat(t.columns().get(2).type().base()).isEqualTo(DataType.CHAR);
        assertThat(t.columns().get(2).type().length()).isEqualTo(120);
    }

    @Test
    void keysUnsignedAndOptions() {
        DdlStatement.CreateTable t = (DdlStatement.CreateTable) parse("CREATE TABLE IF NOT EXISTS d.t (a INT UNSIGNED "
                + "PRIMARY KEY, b VARCHAR(10) UNIQUE, c DECIMAL(10,2), KEY ix_c (c DESC, b)) ENGINE=InnoDB "
                + "DEFAULT CHARSET=utf8mb4");
        assertThat(t.ifNotExists()).isTrue();
        assertThat(t.table().database()).isEqualTo("d");
        assertThat(t.columns().get(0).type().unsigned()).isTrue();
        assertThat(t.indexes()).hasSize(2);
        assertThat(t.indexes().get(0).unique()).isTrue();
        assertThat(t.indexes().get(1).columns().get(0).descending()).isTrue();
        assertThat(t.columns().get(2).type().scale()).isEqualTo(2);
    }

    @Test
    void indexesViewsAndDrops() {
        DdlStatement.CreateIndex ix = (DdlStatement.CreateIndex) parse("CREATE UNIQUE INDEX i1 ON t (a, b DESC)");
        assertThat(ix.index().unique()).isTrue();
        assertThat(ix.index().columns()).hasSize(2);
        DdlStatement.CreateView v = (DdlStatement.CreateView) parse("CREATE VIEW v1 AS SELECT x FROM t WHERE y > 1");
        assertThat(v.selectSql()).isEqualTo("SELECT x FROM t WHERE y > 1");
        DdlStatement.DropTable d = (DdlStatement.DropTable) parse("DROP TABLE IF EXISTS t1, d.t2");
        assertThat(d.tables()).hasSize(2);
        assertThat(d.ifExists()).isTrue();
        DdlStatement.AlterTable a = (DdlStatement.AlterTable) parse("ALTER TABLE t ADD COLUMN z INT DEFAULT 3, DROP INDEX i1");
        assertThat(a.actions()).hasSize(2);
    }
}
