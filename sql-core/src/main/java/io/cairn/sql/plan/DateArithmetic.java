package io.cairn.sql.plan;

import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * MySQL's date arithmetic as calls of {@link MysqlOperators#DATE_ADD}, in a parsed statement. The front end
 * ({@code frontend.CalciteText}) writes {@code INTERVAL expr unit} as {@code MYSQL_INTERVAL(expr, 'UNIT')}, which
 * Calcite's parser reads with any expression and unit (its own INTERVAL knows neither MICROSECOND nor compound
 * units), and {@code TIMESTAMPADD(unit, n, x)} as {@code MYSQL_TIMESTAMPADD('UNIT', n, x)}. Calcite's own interval
 * arithmetic counts milliseconds, and its DATE_ADD/DATE_SUB (BigQuery's) return a DATE even of a DATETIME.
 * Stateless.
 */
final class DateArithmetic {
    /** The front end's rendering of {@code INTERVAL expr unit}. */
    static final String INTERVAL = "MYSQL_INTERVAL";
    /** The front end's rendering of {@code TIMESTAMPADD(unit, …)}. */
    static final String TIMESTAMPADD = "MYSQL_TIMESTAMPADD";

    private DateArithmetic() {
    }

    /**
     * {@code call} as a {@link MysqlOperators#DATE_ADD} call when it is date arithmetic: {@code x ± INTERVAL},
     * {@code INTERVAL + x}, DATE_ADD/ADDDATE/DATE_SUB/SUBDATE(x, INTERVAL …), ADDDATE/SUBDATE(x, days),
     * TIMESTAMPADD; else null.
     */
    static SqlCall rewrite(SqlCall call) {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        List<SqlNode> ops = call.getOperandList();
        SqlParserPos pos = call.getParserPosition();
        if (call.getOperator() == SqlStdOperatorTable.PLUS && isInterval(ops.get(1))) {
            return dateAdd(ops.get(0), (SqlCall) ops.get(1), 1, pos);
        }
        if (call.getOperator() == SqlStdOperatorTable.PLUS && isInterval(ops.get(0))) {
            return dateAdd(ops.get(1), (SqlCall) ops.get(0), 1, pos);
        }
        if (call.getOperator() == SqlStdOperatorTable.MINUS && isInterval(ops.get(1))) {
            return dateAdd(ops.get(0), (SqlCall) ops.get(1), -1, pos);
        }
        boolean add = name.equals("DATE_ADD") || name.equals("ADDDATE");
        boolean sub = name.equals("DATE_SUB") || name.equals("SUBDATE");
        if ((add || sub) && ops.size() == 2) {
            int sign = add ? 1 : -1;
            if (isInterval(ops.get(1))) {
                return dateAdd(ops.get(0), (SqlCall) ops.get(1), sign, pos);
            }
            if (name.endsWith("DATE")) { // ADDDATE(x, n), SUBDATE(x, n): n days
                return call(ops.get(0), ops.get(1), SqlLiteral.createCharString("DAY", pos), sign, pos);
            }
        }
        if (name.equals(TIMESTAMPADD) && ops.size() == 3) {
            return call(ops.get(2), ops.get(1), ops.get(0), 1, pos);
        }
        return null;
    }

    private static boolean isInterval(SqlNode n) {
        return n instanceof SqlCall c && c.getOperator().getName().equalsIgnoreCase(INTERVAL) && c.operandCount() == 2;
    }

    private static SqlCall dateAdd(SqlNode x, SqlCall interval, int sign, SqlParserPos pos) {
        return call(x, interval.operand(0), interval.operand(1), sign, pos);
    }

    private static SqlCall call(SqlNode x, SqlNode amount, SqlNode unit, int sign, SqlParserPos pos) {
        return MysqlOperators.DATE_ADD.createCall(pos, x, amount, unit, SqlLiteral.createExactNumeric(
                Integer.toString(sign), pos));
    }
}
