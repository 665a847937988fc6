package io.cairn.sql.plan;

import io.cairn.sql.auth.Visibility;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.catalog.IndexDefinition;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.exec.ExecContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code information_schema} over a catalog snapshot: SCHEMATA, TABLES, VIEWS, COLUMNS, STATISTICS,
 * KEY_COLUMN_USAGE, TABLE_CONSTRAINTS, with the columns clients and JDBC drivers read; FILES, PARTITIONS,
 * TRIGGERS, ROUTINES and EVENTS are empty. The rows are
 * built once per catalog version and shared; each scan shows only what the statement's user may see
 * ({@link Visibility} from {@link ExecContext#VIEWER}: a database, table or column on which the user
 * holds some privilege; a view's definition only with SHOW VIEW). Immutable.
 */
public final class InformationSchema extends AbstractSchema {
    public static final String NAME = "information_schema";

    private final Map<String, Table> tables = new HashMap<>();

    public InformationSchema(Catalog catalog) {
        List<Object[]> schemata = new ArrayList<>();
        List<Object[]> tbls = new ArrayList<>();
        List<Object[]> views = new ArrayList<>();
        List<Object[]> cols = new ArrayList<>();
        List<Object[]> stats = new ArrayList<>();
        List<Object[]> keyUsage = new ArrayList<>();
        List<Object[]> constraints = new ArrayList<>();
        schemata.add(new Object[] {"def", NAME, "utf8mb3", "utf8mb3_general_ci", null});
        for (String db : catalog.databases()) {
            schemata.add(new Object[] {"def", db, "utf8mb4", "utf8mb4_0900_ai_ci", null});
            for (TableDefinition t : catalog.tables(db)) {
                tbls.add(new Object[] {"def", db, t.name(), t.isView() ? "VIEW" : "BASE TABLE",
                        t.isView() ? null : "InnoDB", 10L, "Dynamic", 0L, t.isView() ? null : "utf8mb4_0900_ai_ci", ""});
                if (t.isView()) {
                    TableDefinition.ViewSecurity sec = t.security();
                    views.add(new Object[] {"def", db, t.name(), t.viewSql(), "NONE", "NO",
                            sec == null ? "" : sec.definerUser() + "@" + sec.definerHost(),
                            sec == null || sec.invoker() ? "INVOKER" : "DEFINER", "utf8mb4", "utf8mb4_0900_ai_ci"});
                    continue;
                }
                long pos = 1;
                for (ColumnDefinition c : t.columns()) {
                    String key = t.primaryKey().stream().anyMatch(p -> p.equalsIgnoreCase(c.name())) ? "PRI"
                            : t.readableIndexes().stream().anyMatch(ix -> ix.columns().get(0).equalsIgnoreCase(c.name()))
                            ? (t.readableIndexes().stream().anyMatch(ix -> ix.unique() && ix.columns().size() == 1
                                    && ix.columns().get(0).equalsIgnoreCase(c.name())) ? "UNI" : "MUL") : "";
                    boolean text = c.type().base().isString() || c.type().base().isBinary();
                    cols.add(new Object[] {"def", db, t.name(), c.name(), pos++,
                            c.defaultShown(),
                            c.nullable() ? "YES" : "NO", c.type().base().sqlName(),
                            text ? (Long) c.type().maxLength() : null, text ? (Long) (c.type().maxLength() * 4) : null,
                            c.type().base().isInteger() || c.type().precision() > 0 ? (Long) (long) numericPrecision(c) : null,
                            c.type().precision() > 0 ? (Long) (long) c.type().scale() : c.type().base().isInteger() ? 0L : null,
                            c.type().base().isString() ? "utf8mb4" : null,
                            c.type().base().isString() ? "utf8mb4_0900_ai_ci" : null,
                            c.type().ddl(), key, c.extra(), "select,insert,update,references", "",
                            c.type().kind() == io.cairn.sql.codec.ValueKind.TIMESTAMP
                                    || c.type().kind() == io.cairn.sql.codec.ValueKind.TIME ? (Long) (long) c.type().fsp() : null, "", null});
                }
                if (!t.primaryKey().isEmpty()) {
                    constraints.add(new Object[] {"def", db, "PRIMARY", db, t.name(), "PRIMARY KEY"});
                    long seq = 1;
                    for (String p : t.primaryKey()) {
                        stats.add(new Object[] {"def", db, t.name(), 0L, db, "PRIMARY", seq, p, "A", null, null, "", "BTREE"});
                        keyUsage.add(new Object[] {"def", db, "PRIMARY", "def", db, t.name(), p, seq, null, null, null, null});
                        seq++;
                    }
                }
                for (IndexDefinition ix : t.readableIndexes()) {
                    if (ix.unique()) {
                        constraints.add(new Object[] {"def", db, ix.name(), db, t.name(), "UNIQUE"});
                    }
                    long seq = 1;
                    for (String col : ix.columns()) {
                        ColumnDefinition cd = t.columns().get(t.columnIndex(col));
                        stats.add(new Object[] {"def", db, t.name(), ix.unique() ? 0L : 1L, db, ix.name(), seq, col,
                                ix.descending().get((int) seq - 1) ? "D" : "A", null, null, cd.nullable() ? "YES" : "", "BTREE"});
                        if (ix.unique()) {
                            keyUsage.add(new Object[] {"def", db, ix.name(), "def", db, t.name(), col, seq, null, null, null, null});
                        }
                        seq++;
                    }
                }
            }
        }
        add("SCHEMATA", schemata, "CATALOG_NAME", "SCHEMA_NAME", "DEFAULT_CHARACTER_SET_NAME",
                "DEFAULT_COLLATION_NAME", "SQL_PATH");
        add("TABLES", tbls, "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_TYPE", "ENGINE", "#VERSION",
                "ROW_FORMAT", "#TABLE_ROWS", "TABLE_COLLATION", "TABLE_COMMENT");
        add("VIEWS", views, "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "VIEW_DEFINITION", "CHECK_OPTION",
                "IS_UPDATABLE", "DEFINER", "SECURITY_TYPE", "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION");
        // What Cairn has none of, for the tools that ask (mariadb-dump asks for tablespaces and triggers):
        // empty, with MySQL's columns.
        add("FILES", List.of(), "#FILE_ID", "FILE_NAME", "FILE_TYPE", "TABLESPACE_NAME", "TABLE_SCHEMA",
                "TABLE_NAME", "LOGFILE_GROUP_NAME", "#LOGFILE_GROUP_NUMBER", "ENGINE", "#EXTENT_SIZE",
                "#INITIAL_SIZE", "#TOTAL_EXTENTS", "EXTRA");
        add("PARTITIONS", List.of(), "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "PARTITION_NAME",
                "SUBPARTITION_NAME", "#PARTITION_ORDINAL_POSITION", "PARTITION_METHOD", "PARTITION_EXPRESSION",
                "PARTITION_DESCRIPTION", "#TABLE_ROWS", "TABLESPACE_NAME");
        add("TRIGGERS", List.of(), "TRIGGER_CATALOG", "TRIGGER_SCHEMA", "TRIGGER_NAME", "EVENT_MANIPULATION",
                "EVENT_OBJECT_CATALOG", "EVENT_OBJECT_SCHEMA", "EVENT_OBJECT_TABLE", "#ACTION_ORDER",
                "ACTION_STATEMENT", "ACTION_TIMING", "DEFINER");
        add("ROUTINES", List.of(), "SPECIFIC_NAME", "ROUTINE_CATALOG", "ROUTINE_SCHEMA", "ROUTINE_NAME",
                "ROUTINE_TYPE", "DATA_TYPE", "ROUTINE_DEFINITION", "DEFINER", "SECURITY_TYPE");
        add("EVENTS", List.of(), "EVENT_CATALOG", "EVENT_SCHEMA", "EVENT_NAME", "DEFINER", "EVENT_DEFINITION",
                "STATUS");
        add("COLUMNS", cols, "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "#ORDINAL_POSITION",
                "COLUMN_DEFAULT", "IS_NULLABLE", "DATA_TYPE", "#CHARACTER_MAXIMUM_LENGTH", "#CHARACTER_OCTET_LENGTH",
                "#NUMERIC_PRECISION", "#NUMERIC_SCALE", "CHARACTER_SET_NAME", "COLLATION_NAME", "COLUMN_TYPE",
                "COLUMN_KEY", "EXTRA", "PRIVILEGES", "COLUMN_COMMENT", "#DATETIME_PRECISION", "GENERATION_EXPRESSION",
                "#SRS_ID");
        add("STATISTICS", stats, "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "#NON_UNIQUE", "INDEX_SCHEMA",
                "INDEX_NAME", "#SEQ_IN_INDEX", "COLUMN_NAME", "COLLATION", "#CARDINALITY", "#SUB_PART", "NULLABLE",
                "INDEX_TYPE");
        add("KEY_COLUMN_USAGE", keyUsage, "CONSTRAINT_CATALOG", "CONSTRAINT_SCHEMA", "CONSTRAINT_NAME",
                "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "#ORDINAL_POSITION",
                "#POSITION_IN_UNIQUE_CONSTRAINT", "REFERENCED_TABLE_SCHEMA", "REFERENCED_TABLE_NAME",
                "REFERENCED_COLUMN_NAME");
        add("TABLE_CONSTRAINTS", constraints, "CONSTRAINT_CATALOG", "CONSTRAINT_SCHEMA", "CONSTRAINT_NAME",
                "TABLE_SCHEMA", "TABLE_NAME", "CONSTRAINT_TYPE");
    }

    private static int numericPrecision(ColumnDefinition c) {
        return switch (c.type().base()) {
            case TINYINT, BOOLEAN -> 3;
            case SMALLINT -> 5;
            case MEDIUMINT -> 7;
            case INT -> 10;
            case BIGINT -> 19;
            default -> c.type().precision();
        };
    }

    /** Columns named with a leading '#' are BIGINT, the others VARCHAR. */
    private void add(String name, List<Object[]> rows, String... columns) {
        String[] plain = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            plain[i] = columns[i].startsWith("#") ? columns[i].substring(1) : columns[i];
        }
        tables.put(name, new RowsTable(rows, columns, plain, name.equals("COLUMNS")));
    }

    @Override
    protected Map<String, Table> getTableMap() {
        return tables;
    }

    /** A fixed set of rows, filtered per scan by what the user may see. */
    private static final class RowsTable extends AbstractTable implements ScannableTable {
        private final List<Object[]> rows;
        private final String[] columns;
        private final int schemaAt;
        private final int tableAt;
        private final int columnAt;
        private final int definitionAt;

        RowsTable(List<Object[]> rows, String[] columns, String[] plainNames, boolean filterColumns) {
            this.rows = List.copyOf(rows);
            this.columns = columns;
            List<String> names = java.util.Arrays.asList(plainNames);
            this.schemaAt = names.contains("SCHEMA_NAME") ? names.indexOf("SCHEMA_NAME") : names.indexOf("TABLE_SCHEMA");
            this.tableAt = names.indexOf("TABLE_NAME");
            this.columnAt = filterColumns ? names.indexOf("COLUMN_NAME") : -1;
            this.definitionAt = names.indexOf("VIEW_DEFINITION");
        }

        private boolean visible(Visibility v, Object[] row) {
            String db = (String) row[schemaAt];
            if (NAME.equals(db)) {
                return true;
            }
            if (tableAt < 0) {
                return v.seesDatabase(db);
            }
            if (columnAt < 0) {
                return v.seesTable(db, (String) row[tableAt]);
            }
            return v.seesColumn(db, (String) row[tableAt], (String) row[columnAt]);
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            RelDataTypeFactory.Builder b = f.builder();
            for (String c : columns) {
                boolean number = c.startsWith("#");
                b.add(number ? c.substring(1) : c, f.createTypeWithNullability(
                        number ? f.createSqlType(SqlTypeName.BIGINT) : f.createSqlType(SqlTypeName.VARCHAR, 4096), true));
            }
            return b.build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            if (!(root.get(ExecContext.VIEWER) instanceof Visibility v)) {
                return Linq4j.emptyEnumerable(); // no user to show rows to
            }
            if (v == Visibility.ALL) {
                return Linq4j.asEnumerable(rows);
            }
            List<Object[]> out = new ArrayList<>();
            for (Object[] row : rows) {
                if (visible(v, row)) {
                    if (definitionAt >= 0 && !v.seesViewDefinition((String) row[schemaAt], (String) row[tableAt])) {
                        row = row.clone();
                        row[definitionAt] = "";
                    }
                    out.add(row);
                }
            }
            return Linq4j.asEnumerable(out);
        }
    }
}
