package io.cairn.sql.exec;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.codec.Values;
import io.cairn.sql.frontend.CalciteText;
import io.cairn.sql.frontend.InsertRewriter;
import io.cairn.sql.frontend.InsertValues;
import io.cairn.sql.frontend.ShapedText;
import io.cairn.sql.plan.SqlParsing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.BitString;
import org.apache.calcite.util.NlsString;

/**
 * INSERT (VALUES, SELECT, IGNORE, REPLACE, ON DUPLICATE KEY UPDATE), UPDATE and DELETE, executed by
 * Cairn rather than by Calcite's TableModify (STACK-NOTES): the rows to change are selected with a
 * compiled query (for UPDATE/DELETE over the table's {@link CairnTable#ROW_KEY} column), then written
 * through a {@link TableWriter} into the statement's {@link WriteBuffer}, which reaches the
 * transaction only when the whole statement succeeded. Values are converted with MySQL's strict
 * rules ({@link io.cairn.sql.catalog.SqlType#coerce}). The target table's privileges are checked here
 * ({@link StatementEnv#checkTable}); what the statement reads is checked with its compiled queries
 * ({@link StatementEnv#compile}). Stateless; one call per statement.
 *
 * <p>Rows selected by a query (UPDATE's and DELETE's targets, INSERT … SELECT's source) stream from its
 * cursor into the write buffer, one at a time: the statement holds its writes, bounded by the transaction's
 * write-set limit, and not also every row it read. The cursor reads the transaction as it was before the
 * statement (the buffer is not part of it), so a statement never sees its own writes, as in MySQL.
 */
public final class DmlExecutor {
    private DmlExecutor() {
    }

    /** Runs an INSERT/REPLACE; returns affected rows and the first generated auto-increment value. */
    public static QueryResult.Ok insert(InsertRewriter.Insert ins, StatementEnv env) {
        TableDefinition table;
        int[] targets;
        RowSource source;
        InsertValues literal = ins.values();
        if (literal != null) {
            table = env.table(literal.database(), literal.table());
            targets = targetColumns(literal.columns(), table);
            checkInsert(ins, table, targets, env);
            if (table.isView()) {
                throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "INSERT into a view");
            }
            source = RowSource.of(literal.rows());
        } else {
            SqlInsert node = (SqlInsert) SqlParsing.parse(ins.calciteText());
            table = resolve((SqlIdentifier) node.getTargetTable(), env);
            List<String> columns = new ArrayList<>();
            if (node.getTargetColumnList() != null) {
                node.getTargetColumnList().forEach(c -> columns.add(last((SqlIdentifier) c)));
            }
            targets = targetColumns(columns, table);
            checkInsert(ins, table, targets, env);
            if (table.isView()) {
                throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "INSERT into a view");
            }
            source = sourceRows(node, ins.calciteText(), env);
        }
        try (source) {
            return insert(ins, table, targets, source, literal != null ? literal.rows().size() : 0, env);
        }
    }

    private static QueryResult.Ok insert(InsertRewriter.Insert ins, TableDefinition table, int[] targets,
            RowSource source, int literalRows, StatementEnv env) {
        boolean literal = literalRows > 0;
        TableCodec codec = new TableCodec(table);
        WriteBuffer buffer = new WriteBuffer(env.transaction());
        TableWriter writer = new TableWriter(codec, buffer);
        long affected = 0;
        long firstGenerated = 0;
        long duplicates = 0;
        long rowNo = 0;
        for (Object[] values = source.next(); values != null; values = source.next()) {
            rowNo++;
            if (values.length != targets.length) {
                throw new SqlException(MysqlError.WRONG_VALUE_COUNT_ON_ROW, rowNo);
            }
            long[] generated = {0};
            long rowsLeft = Math.max(1, literalRows - rowNo + 1); // auto-increment values the statement still needs
            Object[] row = buildRow(table, targets, values, rowNo, rowsLeft, env, generated);
            if (generated[0] != 0 && firstGenerated == 0) {
                firstGenerated = generated[0];
            }
            byte[] pk = codec.hiddenRowId()
                    ? TableCodec.rowIdKey(env.autoIncrement().next(-table.id(), rowsLeft))
                    : codec.primaryKey(row);
            switch (ins.mode()) {
                case INSERT -> {
                    writer.insert(row, pk);
                    affected++;
                }
                case IGNORE -> {
                    SqlException duplicate = writer.duplicateOf(row, pk);
                    if (duplicate != null) {
                        env.warn(duplicate); // as MySQL: the skipped row's 1062, as a warning
                        duplicates++;
                    } else {
                        writer.insert(row, pk);
                        affected++;
                    }
                }
                case REPLACE -> {
                    byte[] c;
                    while ((c = writer.conflictingRow(row, pk)) != null) {
                        writer.delete(c, writer.read(c));
                        affected++;
                        duplicates++;
                    }
                    writer.insert(row, pk);
                    affected++;
                }
                case UPSERT -> {
                    byte[] c = writer.conflictingRow(row, pk);
                    if (c == null) {
                        writer.insert(row, pk);
                        affected++;
                    } else {
                        Object[] old = writer.read(c);
                        Object[] updated = upsert(table, old, row, ins, env, rowNo);
                        if (!Arrays.deepEquals(old, updated)) {
                            writer.update(c, old, updated);
                            affected += 2;
                            duplicates++;
                        } else if (env.foundRows()) {
                            affected += 1;
                            duplicates++;
                        }
                    }
                }
                default -> throw new IllegalStateException(ins.mode().name());
            }
        }
        buffer.flush();
        int warnings = env.warningCount();
        // MySQL's info text: for INSERT … SELECT and inserts of several rows, not for one VALUES row
        String info = literal && rowNo == 1 ? ""
                : String.format("Records: %d  Duplicates: %d  Warnings: %d", rowNo, duplicates, warnings);
        return new QueryResult.Ok(affected, firstGenerated, warnings, info);
    }

    /**
     * MySQL's privileges of an INSERT's target: INSERT on the columns it fills (all when none are
     * named); REPLACE also DELETE; ON DUPLICATE KEY UPDATE also UPDATE on the columns it assigns and
     * SELECT on the table's columns its expressions read (their subqueries are checked when compiled).
     */
    private static void checkInsert(InsertRewriter.Insert ins, TableDefinition table, int[] targets, StatementEnv env) {
        env.checkTable(table, Privilege.INSERT, names(table, targets));
        if (ins.mode() == InsertRewriter.Mode.REPLACE) {
            env.checkTable(table, Privilege.DELETE, List.of());
        }
        if (ins.mode() == InsertRewriter.Mode.UPSERT) {
            SqlUpdate assignments = (SqlUpdate) SqlParsing.parse("UPDATE `" + table.name().replace("`", "``")
                    + "` SET " + ins.onDuplicateKeyUpdate());
            env.checkTable(table, Privilege.UPDATE, names(table, targetColumns(assignments.getTargetColumnList(), table)));
            List<String> read = new ArrayList<>();
            for (SqlNode e : assignments.getSourceExpressionList()) {
                columnsRead(e, read);
            }
            read.removeIf(c -> c.startsWith(InsertRewriter.NEW_PREFIX) || table.columnIndex(c) < 0);
            if (!read.isEmpty()) {
                env.checkTable(table, Privilege.SELECT, read);
            }
        }
    }

    /** The names of the identifiers in an expression, outside its subqueries. */
    private static void columnsRead(SqlNode n, List<String> out) {
        if (n instanceof SqlIdentifier id) {
            out.add(last(id));
        } else if (n instanceof SqlNodeList list) {
            list.forEach(x -> columnsRead(x, out));
        } else if (n instanceof SqlCall call && !(n instanceof SqlSelect)) {
            call.getOperandList().forEach(x -> columnsRead(x, out));
        }
    }

    private static List<String> names(TableDefinition table, int[] positions) {
        List<String> out = new ArrayList<>(positions.length);
        for (int p : positions) {
            out.add(table.columns().get(p).name());
        }
        return out;
    }

    /** Runs an UPDATE (single table). */
    public static QueryResult.Ok update(ShapedText text, StatementEnv env) {
        DmlTarget target = env.dmlTarget(text);
        TableDefinition table = env.table(target.database(), target.table());
        if (table.isView()) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "UPDATE of a view");
        }
        List<ColumnDefinition> cols = table.columns();
        int[] setCols = targetColumns(target.setColumns(), table);
        env.checkTable(table, Privilege.UPDATE, names(table, setCols));
        String alias = target.alias();
        StatementEnv.Bound b = env.compile("update", text, calciteText -> {
            SqlUpdate u = (SqlUpdate) SqlParsing.parse(calciteText);
            TargetTableReads.check(u.getSourceExpressionList(), table.database(), table.name(), env.database());
            TargetTableReads.check(u.getCondition(), table.database(), table.name(), env.database());
            SqlNodeList select = baseSelectList(alias, table);
            for (SqlNode e : u.getSourceExpressionList()) {
                select.add(e);
            }
            return selectFrom(u.getTargetTable(), u.getAlias(), select, u.getCondition());
        }, true);
        List<RelDataTypeField> fields = b.query().rowType().getFieldList();
        TableCodec codec = new TableCodec(table);
        WriteBuffer buffer = new WriteBuffer(env.transaction());
        TableWriter writer = new TableWriter(codec, buffer);
        int n = cols.size();
        long changed = 0;
        long rowNo = 0;
        try (QueryRows rows = QueryRows.open(b.query(), env.execContext(b.parameters(), null, true), false)) {
            for (Object[] r = rows.next(); r != null; r = rows.next()) {
                rowNo++;
                byte[] pk = ((ByteString) r[0]).getBytes();
                Object[] old = Arrays.copyOfRange(r, 1, n + 1);
                Object[] updated = old.clone();
                for (int i = 0; i < setCols.length; i++) {
                    int field = n + 1 + i;
                    Object v = QueryRunner.external(fields.get(field).getType(), r[field]);
                    updated[setCols[i]] = checkNull(cols.get(setCols[i]), cols.get(setCols[i]).type().coerce(
                            v, cols.get(setCols[i]).name(), rowNo));
                }
                if (!Arrays.deepEquals(old, updated)) {
                    setOnUpdateColumns(table, setCols, updated, rowNo, env);
                    writer.update(pk, old, updated);
                    changed++;
                }
            }
        }
        buffer.flush();
        int warnings = env.warningCount();
        return new QueryResult.Ok(env.foundRows() ? rowNo : changed, 0, warnings,
                String.format("Rows matched: %d  Changed: %d  Warnings: %d", rowNo, changed, warnings));
    }

    /** Runs a DELETE (single table). */
    public static QueryResult.Ok delete(ShapedText text, StatementEnv env) {
        DmlTarget target = env.dmlTarget(text);
        TableDefinition table = env.table(target.database(), target.table());
        if (table.isView()) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "DELETE from a view");
        }
        env.checkTable(table, Privilege.DELETE, List.of());
        String alias = target.alias();
        StatementEnv.Bound b = env.compile("delete", text, calciteText -> {
            SqlDelete d = (SqlDelete) SqlParsing.parse(calciteText);
            TargetTableReads.check(d.getCondition(), table.database(), table.name(), env.database());
            return selectFrom(d.getTargetTable(), d.getAlias(), baseSelectList(alias, table), d.getCondition());
        }, true);
        TableCodec codec = new TableCodec(table);
        WriteBuffer buffer = new WriteBuffer(env.transaction());
        TableWriter writer = new TableWriter(codec, buffer);
        int n = table.columns().size();
        long deleted = 0;
        try (QueryRows rows = QueryRows.open(b.query(), env.execContext(b.parameters(), null, true), false)) {
            for (Object[] r = rows.next(); r != null; r = rows.next()) {
                writer.delete(((ByteString) r[0]).getBytes(), Arrays.copyOfRange(r, 1, n + 1));
                deleted++;
            }
        }
        buffer.flush();
        return new QueryResult.Ok(deleted, 0, env.warningCount(), "");
    }

    private static SqlNodeList baseSelectList(String alias, TableDefinition table) {
        SqlNodeList select = new SqlNodeList(SqlParserPos.ZERO);
        select.add(new SqlIdentifier(List.of(alias, CairnTable.ROW_KEY), SqlParserPos.ZERO));
        for (ColumnDefinition c : table.columns()) {
            select.add(new SqlIdentifier(List.of(alias, c.name()), SqlParserPos.ZERO));
        }
        return select;
    }

    private static SqlSelect selectFrom(SqlNode table, SqlIdentifier alias, SqlNodeList select, SqlNode where) {
        SqlNode from = alias == null ? table
                : new SqlBasicCall(SqlStdOperatorTable.AS, List.of(table, alias), SqlParserPos.ZERO);
        return new SqlSelect(SqlParserPos.ZERO, null, select, from, where, null, null, null, null, null, null, null);
    }

    private static String last(SqlIdentifier id) {
        return id.names.get(id.names.size() - 1);
    }

    private static TableDefinition resolve(SqlIdentifier target, StatementEnv env) {
        String db = target.names.size() > 1 ? target.names.get(target.names.size() - 2) : null;
        return env.table(db, last(target));
    }

    private static int[] targetColumns(SqlNodeList list, TableDefinition table) {
        List<String> names = new ArrayList<>();
        if (list != null) {
            list.forEach(c -> names.add(last((SqlIdentifier) c)));
        }
        return targetColumns(names, table);
    }

    /** Positions of the named columns (all columns when none are named); 1054 for an unknown one. */
    private static int[] targetColumns(List<String> names, TableDefinition table) {
        if (names.isEmpty()) {
            int[] all = new int[table.columns().size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) {
            String name = names.get(i);
            out[i] = table.columnIndex(name);
            if (out[i] < 0) {
                throw new SqlException(MysqlError.BAD_FIELD, name, "field list");
            }
        }
        return out;
    }

    /** The rows to insert, as external values (or {@link InsertValues#DEFAULT}). */
    private static RowSource sourceRows(SqlInsert node, String text, StatementEnv env) {
        SqlNode source = node.getSource();
        if (source.getKind() == SqlKind.VALUES) {
            List<Object[]> rows = new ArrayList<>();
            boolean literal = true;
            for (SqlNode row : ((SqlCall) source).getOperandList()) {
                List<SqlNode> items = ((SqlCall) row).getOperandList();
                Object[] values = new Object[items.size()];
                for (int i = 0; i < values.length && literal; i++) {
                    Object v = literal(items.get(i));
                    if (v == NOT_LITERAL) {
                        literal = false;
                    }
                    values[i] = v;
                }
                if (!literal) {
                    break;
                }
                rows.add(values);
            }
            if (literal) {
                return RowSource.of(rows);
            }
        }
        StatementEnv.Bound b = env.compile("insert-source", ShapedText.literal(text),
                t -> ((SqlInsert) SqlParsing.parse(t)).getSource(), false);
        QueryRows rows = QueryRows.open(b.query(), env.execContext(b.parameters(), null, false), true);
        return new RowSource() {
            @Override
            public Object[] next() {
                return rows.next();
            }

            @Override
            public void close() {
                rows.close();
            }
        };
    }

    /** The rows an INSERT writes, one at a time: its VALUES, or the cursor of its SELECT. */
    private interface RowSource extends AutoCloseable {
        /** The next row, or null after the last. */
        Object[] next();

        @Override
        void close();

        static RowSource of(List<Object[]> rows) {
            java.util.Iterator<Object[]> it = rows.iterator();
            return new RowSource() {
                @Override
                public Object[] next() {
                    return it.hasNext() ? it.next() : null;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static final Object NOT_LITERAL = new Object();

    /** The value of a constant VALUES item, or {@link #NOT_LITERAL}. */
    private static Object literal(SqlNode n) {
        if (n instanceof SqlNumericLiteral num) {
            BigDecimal d = num.getValueAs(BigDecimal.class);
            return num.isExact() ? Values.exactNumber(d) : (Object) d.doubleValue();
        }
        if (n instanceof SqlLiteral lit) {
            Object v = lit.getValue();
            if (v == null) {
                return null;
            }
            if (v instanceof NlsString s) {
                return s.getValue();
            }
            if (v instanceof BitString b) {
                return b.getAsByteArray();
            }
            if (v instanceof Boolean) {
                return v;
            }
            return NOT_LITERAL;
        }
        if (n instanceof SqlCall call && call.getOperator() == SqlStdOperatorTable.DEFAULT) {
            return InsertValues.DEFAULT;
        }
        if (n instanceof SqlCall call && call.operandCount() == 1 && (call.getKind() == SqlKind.MINUS_PREFIX
                || call.getKind() == SqlKind.PLUS_PREFIX)) {
            Object v = literal(call.operand(0));
            if (call.getKind() == SqlKind.PLUS_PREFIX || v == null || v == NOT_LITERAL) {
                return v;
            }
            if (v instanceof Long l) {
                return l == Long.MIN_VALUE ? BigDecimal.valueOf(l).negate() : -l;
            }
            if (v instanceof BigDecimal d) {
                BigDecimal neg = d.negate();
                return neg.scale() <= 0 && neg.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) == 0 ? Long.MIN_VALUE : neg;
            }
            if (v instanceof Double d) {
                return -d;
            }
        }
        return NOT_LITERAL;
    }

    /** A full stored row from the given columns' values, defaults and auto-increment. */
    private static Object[] buildRow(TableDefinition table, int[] targets, Object[] values, long rowNo, long rowsLeft,
            StatementEnv env, long[] generated) {
        List<ColumnDefinition> cols = table.columns();
        Object[] row = new Object[cols.size()];
        boolean[] given = new boolean[cols.size()];
        for (int i = 0; i < targets.length; i++) {
            if (values[i] != InsertValues.DEFAULT) {
                ColumnDefinition c = cols.get(targets[i]);
                row[targets[i]] = c.type().coerce(values[i], c.name(), rowNo);
                given[targets[i]] = true;
            }
        }
        for (int i = 0; i < cols.size(); i++) {
            ColumnDefinition c = cols.get(i);
            if (c.autoIncrement()) {
                Object v = row[i];
                if (v == null || (v instanceof Number num && num.longValue() == 0 && !(v instanceof BigDecimal d && d.signum() != 0))) {
                    long next = env.autoIncrement().next(table.id(), rowsLeft);
                    row[i] = c.type().coerce(next, c.name(), rowNo);
                    generated[0] = next;
                } else {
                    env.autoIncrement().observe(table.id(), ((Number) v).longValue());
                }
                continue;
            }
            if (!given[i]) {
                row[i] = defaultValue(c, rowNo, env);
            }
            checkNull(c, row[i]);
        }
        return row;
    }

    private static Object checkNull(ColumnDefinition c, Object v) {
        if (v == null && !c.nullable()) {
            throw new SqlException(MysqlError.BAD_NULL, c.name());
        }
        return v;
    }

    private static Object defaultValue(ColumnDefinition c, long rowNo, StatementEnv env) {
        return switch (c.defaultKind()) {
            case LITERAL -> c.type().coerce(c.defaultText(), c.name(), rowNo);
            case CURRENT_TIMESTAMP -> currentTimestamp(c, rowNo, env);
            case NULL -> null;
            case NONE -> {
                if (!c.nullable()) {
                    throw new SqlException(MysqlError.NO_DEFAULT_FOR_FIELD, c.name());
                }
                yield null;
            }
        };
    }

    /** The statement's start cut to the column's digits (DEFAULT and ON UPDATE CURRENT_TIMESTAMP). */
    private static Object currentTimestamp(ColumnDefinition c, long rowNo, StatementEnv env) {
        return c.type().coerce(io.cairn.sql.codec.Temporals.truncate(env.now(), c.type().fsp()), c.name(), rowNo);
    }

    /**
     * ON UPDATE CURRENT_TIMESTAMP of a row an UPDATE (or ON DUPLICATE KEY UPDATE) changes: such columns it does not
     * assign take the statement's start. One it assigns keeps what it was given, even its old value (MySQL and
     * MariaDB: "SET c = c" is how to keep the column as it was).
     */
    private static void setOnUpdateColumns(TableDefinition table, int[] assigned, Object[] row, long rowNo,
            StatementEnv env) {
        List<ColumnDefinition> cols = table.columns();
        for (int i = 0; i < cols.size(); i++) {
            int column = i;
            if (cols.get(i).onUpdateCurrentTimestamp() && Arrays.stream(assigned).noneMatch(a -> a == column)) {
                row[i] = currentTimestamp(cols.get(i), rowNo, env);
            }
        }
    }

    /** The row after ON DUPLICATE KEY UPDATE: the assignments evaluated over the old and proposed rows. */
    private static Object[] upsert(TableDefinition table, Object[] old, Object[] proposed, InsertRewriter.Insert ins,
            StatementEnv env, long rowNo) {
        List<ColumnDefinition> cols = table.columns();
        SqlUpdate assignments = (SqlUpdate) SqlParsing.parse("UPDATE `" + table.name().replace("`", "``")
                + "` SET " + ins.onDuplicateKeyUpdate());
        StringBuilder sql = new StringBuilder("SELECT ");
        SqlNodeList exprs = assignments.getSourceExpressionList();
        for (int i = 0; i < exprs.size(); i++) {
            // parenthesized: a subquery prints without its parentheses
            sql.append(i == 0 ? "(" : ", (").append(exprs.get(i).toSqlString(
                    org.apache.calcite.sql.dialect.MysqlSqlDialect.DEFAULT).getSql()).append(')');
        }
        sql.append(" FROM (VALUES (");
        appendRow(sql, cols, old);
        sql.append(")) AS `").append(table.name().replace("`", "``")).append("` (");
        appendNames(sql, cols, "");
        sql.append("), (VALUES (");
        appendRow(sql, cols, proposed);
        sql.append(")) AS `__cairn_new` (");
        appendNames(sql, cols, InsertRewriter.NEW_PREFIX);
        sql.append(')');
        String text = sql.toString();
        StatementEnv.Bound b = env.compile("upsert", ShapedText.literal(text), SqlParsing::parse, false);
        List<Object[]> rows = QueryRunner.externalRows(b.query(), env.execContext(b.parameters(), null, false));
        Object[] updated = old.clone();
        int[] targets = targetColumns(assignments.getTargetColumnList(), table);
        for (int i = 0; i < targets.length; i++) {
            ColumnDefinition c = cols.get(targets[i]);
            updated[targets[i]] = checkNull(c, c.type().coerce(rows.get(0)[i], c.name(), rowNo));
        }
        if (!Arrays.deepEquals(old, updated)) {
            setOnUpdateColumns(table, targets, updated, rowNo, env);
        }
        return updated;
    }

    private static void appendRow(StringBuilder sql, List<ColumnDefinition> cols, Object[] row) {
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            Object v = Values.toExternal(cols.get(i).type().kind(), row[i]);
            if (v == null) {
                sql.append("CAST(NULL AS ").append(cols.get(i).type().toCalcite(
                        io.cairn.sql.plan.QueryCompiler.TYPE_FACTORY, true).getFullTypeString()
                        .replace(" NOT NULL", "").replaceAll(" (CHARACTER SET|COLLATE) \"[^\"]*\"", "")).append(')');
            } else if (v instanceof byte[] b) {
                sql.append("X'").append(java.util.HexFormat.of().formatHex(b)).append('\'');
            } else {
                CalciteText.appendLiteral(sql, v);
            }
        }
    }

    private static void appendNames(StringBuilder sql, List<ColumnDefinition> cols, String prefix) {
        for (int i = 0; i < cols.size(); i++) {
            sql.append(i == 0 ? "`" : ", `").append((prefix + cols.get(i).name()).replace("`", "``")).append('`');
        }
    }
}
