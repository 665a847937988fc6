package io.cairn.sql.plan;

import io.cairn.sql.codec.KeyCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlCoalesceFunction;
import org.apache.calcite.sql.fun.SqlInOperator;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * The operator table of Cairn's SQL: Calcite's standard operators, the MySQL and BigQuery function
 * libraries (IF, IFNULL, CONCAT_WS, …), and MySQL's own division and modulo, which Calcite gets
 * wrong for MySQL: {@code 7/2} is {@code 3.5000} (a DECIMAL with four more decimals), not 3, and
 * dividing by zero gives NULL instead of an exception.
 *
 * <p>{@link #rewrite(SqlNode)} swaps Calcite's {@code /} and {@code %} for these operators in a
 * parsed statement before validation, and arithmetic, comparisons and IN for stand-ins that convert strings to
 * numbers as MySQL does ({@link MysqlConversions}). Thread-safe (immutable).
 */
public final class MysqlOperators {
    /** MySQL {@code /}. */
    public static final SqlUserDefinedFunction DIVIDE = arithmetic("MYSQL_DIVIDE", MysqlOperators::divideType,
            MysqlOperators::implementDivide);
    /** MySQL {@code %} / MOD(). */
    public static final SqlUserDefinedFunction MOD = arithmetic("MYSQL_MOD", MysqlOperators::modType,
            MysqlOperators::implementMod);
    /** MySQL {@code DIV}. */
    public static final SqlUserDefinedFunction INT_DIVIDE = arithmetic("MYSQL_INT_DIVIDE",
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.BIGINT), true),
            (translator, call, nullAs) -> callWithRoot(translator, call, "intDivide"));
    /**
     * A string in numeric context: the DOUBLE of its numeric prefix (see {@link MysqlConversions}),
     * warning 1292 when the string is not wholly a number. Like the other functions that warn, it is
     * evaluated when the statement runs, never folded into a constant while planning (where its
     * warning would be lost, and a cached plan would never warn again).
     */
    public static final SqlUserDefinedFunction TO_DOUBLE = function("MYSQL_TO_DOUBLE", List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.DOUBLE), b.getOperandType(0).isNullable()),
            (translator, call, nullAs) -> callWithRoot(translator, call, "toDouble"), Evaluation.AT_RUN_TIME);
    /** A string cast to SIGNED/UNSIGNED (BIGINT): its integer prefix, warning 1292 when truncated. */
    public static final SqlUserDefinedFunction TO_SIGNED = function("MYSQL_TO_SIGNED", List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.BIGINT), b.getOperandType(0).isNullable()),
            (translator, call, nullAs) -> callWithRoot(translator, call, "toSigned"), Evaluation.AT_RUN_TIME);
    /** A string cast to DECIMAL: its numeric prefix, exact, warning 1292 when truncated. */
    public static final SqlUserDefinedFunction TO_DECIMAL = function("MYSQL_TO_DECIMAL", List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.DECIMAL, 65, 30), b.getOperandType(0).isNullable()),
            (translator, call, nullAs) -> callWithRoot(translator, call, "toDecimal"), Evaluation.AT_RUN_TIME);
    /** MySQL's STRCMP(a, b): -1, 0, 1 in the default collation (Calcite's has the sign reversed and is binary). */
    public static final SqlUserDefinedFunction STRCMP = function("MYSQL_STRCMP",
            List.of(SqlTypeFamily.ANY, SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(b.getTypeFactory().createSqlType(SqlTypeName.INTEGER),
                    b.getOperandType(0).isNullable() || b.getOperandType(1).isNullable()),
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "strcmp", boxed(translator, call)),
            Evaluation.FOLDABLE);
    /** MySQL's SLEEP(seconds): 0, or 1 when the statement is killed or times out while sleeping. */
    public static final SqlUserDefinedFunction SLEEP = function("SLEEP", List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createSqlType(SqlTypeName.BIGINT),
            (translator, call, nullAs) -> callWithRoot(translator, call, "sleep"), Evaluation.EVERY_CALL);

    /** MySQL's LENGTH / OCTET_LENGTH: the length in bytes of the value's UTF-8 text. */
    public static final SqlUserDefinedFunction LENGTH = function("MYSQL_LENGTH", List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.BIGINT), b.getOperandType(0).isNullable()),
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "octetLength",
                    boxed(translator, call)));

    /** MySQL's CHAR_LENGTH: characters (code points; Calcite's counts UTF-16 units, 2 for an emoji). */
    public static final SqlUserDefinedFunction CHAR_LENGTH = function("MYSQL_CHAR_LENGTH", List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.BIGINT), b.getOperandType(0).isNullable()),
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "charLength",
                    boxed(translator, call)));

    /** MySQL's HEX(): two upper-case hex digits per byte of a string, or an integer's value in hex. */
    public static final SqlUserDefinedFunction HEX = function("HEX", List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), b.getOperandType(0).isNullable()),
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "hex", boxed(translator, call)));

    /** MySQL's UNHEX(): the bytes that pairs of hex digits stand for; NULL for a digit that is not one. */
    public static final SqlUserDefinedFunction UNHEX = function("UNHEX", List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.VARBINARY), true),
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "unhex", boxed(translator, call)));

    /**
     * The default collation's sort key of a string ({@link KeyCodec#collationKey}: case folded,
     * trailing spaces dropped): comparisons, sorts and groupings of strings compare these keys
     * (see {@link DefaultCollation}).
     */
    public static final SqlUserDefinedFunction COLLATION_KEY = function("MYSQL_COLLATION_KEY",
            List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.VARCHAR, b.getOperandType(0).getPrecision()),
                    b.getOperandType(0).isNullable()),
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "collationKey",
                    boxed(translator, call)));

    /**
     * The operand of SUM: an integer becomes an exact DECIMAL with its digits, so that SUM of
     * integers is a DECIMAL as in MySQL ({@link MysqlTypeSystem#deriveSumType}); other operands
     * pass unchanged.
     */
    public static final SqlUserDefinedFunction SUMMAND = function("MYSQL_SUMMAND", List.of(SqlTypeFamily.ANY),
            MysqlOperators::summandType, MysqlOperators::implementSummand);

    /**
     * COALESCE, and IFNULL (MySQL's COALESCE of two operands), kept one call from parsing to code generation.
     * Calcite's own COALESCE is rewritten by the validator into {@code CASE WHEN a IS NOT NULL THEN a ELSE b}:
     * that copies {@code a}, so a scalar sub-query in it is planned and run twice, and the CASE that
     * SqlToRelConverter builds from the two copies (two sub-queries, no longer one expression) is nullable
     * where the validator had typed {@code COALESCE(a, 0)} NOT NULL, which fails the conversion with
     * "Conversion to relational algebra failed to preserve datatypes" (CALCITE-7044, fixed in Calcite 1.41 by
     * a CAST NOT NULL inside the CASE). This one validates as Calcite's (type NOT NULL when an operand is,
     * operands coerced to a common type) and becomes {@link SqlStdOperatorTable#COALESCE} in relational
     * algebra ({@link #CONVERTLETS}), which Calcite simplifies and generates code for.
     */
    public static final SqlCoalesceFunction COALESCE = new SqlCoalesceFunction() {
        @Override
        public SqlNode rewriteCall(SqlValidator validator, SqlCall call) {
            validateQuantifier(validator, call);
            return call.operandCount() == 1 ? call.operand(0) : call;
        }
    };

    /**
     * Calcite's convertlets, but for {@link #COALESCE}: a call of Calcite's COALESCE of the validated
     * type, each operand cast to that type (keeping its own nullability), as the generated code expects.
     */
    public static final SqlRexConvertletTable CONVERTLETS = call -> call.getOperator() == COALESCE
            ? MysqlOperators::convertCoalesce : StandardConvertletTable.INSTANCE.get(call);

    /** The comparisons whose operands MySQL converts to numbers when one side is a number. */
    private static final Set<SqlOperator> COMPARISONS = Set.of(SqlStdOperatorTable.EQUALS,
            SqlStdOperatorTable.NOT_EQUALS, SqlStdOperatorTable.LESS_THAN, SqlStdOperatorTable.LESS_THAN_OR_EQUAL,
            SqlStdOperatorTable.GREATER_THAN, SqlStdOperatorTable.GREATER_THAN_OR_EQUAL,
            SqlStdOperatorTable.IS_NOT_DISTINCT_FROM, SqlStdOperatorTable.IS_DISTINCT_FROM,
            SqlStdOperatorTable.BETWEEN, SqlStdOperatorTable.NOT_BETWEEN);

    // ---- microsecond temporals (see Microseconds): the plan's DATETIME/TIMESTAMP values are microseconds since
    // 1970-01-01 00:00, where Calcite's own operators take milliseconds. These operators are made by
    // Microseconds after validation, with their types given explicitly; none is folded while planning (a folded
    // TIMESTAMP would become a literal that Calcite's code reads as milliseconds).

    /** {@code MYSQL_DATETIME(micros, fsp)}: a DATETIME(fsp) of the BIGINT microseconds (a TIMESTAMP literal). */
    public static final SqlUserDefinedFunction DATETIME = function("MYSQL_DATETIME",
            List.of(SqlTypeFamily.ANY, SqlTypeFamily.ANY), MysqlOperators::datetimeType,
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "micros", boxed(translator, call)),
            Evaluation.AT_RUN_TIME);
    /**
     * {@code MYSQL_TO_DATETIME(x, fsp)}: x (a string, DATE, DATETIME of other fsp, or a number
     * YYYYMMDDhhmmss) as DATETIME(fsp), rounded to fsp digits; NULL with warning 1292 when it is none.
     */
    public static final SqlUserDefinedFunction TO_DATETIME = function("MYSQL_TO_DATETIME",
            List.of(SqlTypeFamily.ANY, SqlTypeFamily.ANY), MysqlOperators::datetimeType,
            (translator, call, nullAs) -> callWithRoot(translator, call, "toDatetime",
                    Expressions.constant(call.getOperands().get(0).getType().getSqlTypeName().name())),
            Evaluation.AT_RUN_TIME);
    /** {@code MYSQL_DATETIME_STRING(micros, fsp)}: MySQL's text of a DATETIME(fsp), exactly fsp fraction digits. */
    public static final SqlUserDefinedFunction DATETIME_STRING = function("MYSQL_DATETIME_STRING",
            List.of(SqlTypeFamily.ANY, SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.VARCHAR, 26), true),
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "datetimeString",
                    boxed(translator, call)), Evaluation.AT_RUN_TIME);
    /** {@code MYSQL_DATETIME_MILLIS(micros)}: the value as Calcite's own operators take it (milliseconds, floored). */
    public static final SqlUserDefinedFunction DATETIME_MILLIS = function("MYSQL_DATETIME_MILLIS",
            List.of(SqlTypeFamily.ANY), b -> b.getOperandType(0),
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "microsToMillis",
                    boxed(translator, call)), Evaluation.AT_RUN_TIME);
    /** {@code MYSQL_MILLIS_DATETIME(millis)}: a value from Calcite's own operators in microseconds. */
    public static final SqlUserDefinedFunction MILLIS_DATETIME = function("MYSQL_MILLIS_DATETIME",
            List.of(SqlTypeFamily.ANY), b -> b.getOperandType(0),
            (translator, call, nullAs) -> Expressions.call(MysqlFunctions.class, "millisToMicros",
                    boxed(translator, call)), Evaluation.AT_RUN_TIME);
    /** {@code MYSQL_MICROSECOND(micros)}: MICROSECOND() / EXTRACT(MICROSECOND …), 0 to 999999. */
    public static final SqlUserDefinedFunction MICROSECOND = function("MYSQL_MICROSECOND",
            List.of(SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.INTEGER), true),
            (translator, call, nullAs) -> callWithRoot(translator, call, "microsecond",
                    Expressions.constant(call.getOperands().get(0).getType().getSqlTypeName().name())),
            Evaluation.AT_RUN_TIME);
    /** {@code MYSQL_DATE_FORMAT(t, format)}: MySQL's DATE_FORMAT of a DATETIME, DATE or string (%f exact). */
    public static final SqlUserDefinedFunction DATE_FORMAT = function("MYSQL_DATE_FORMAT",
            List.of(SqlTypeFamily.ANY, SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), true),
            (translator, call, nullAs) -> callWithRoot(translator, call, "dateFormat",
                    Expressions.constant(call.getOperands().get(0).getType().getSqlTypeName().name())),
            Evaluation.AT_RUN_TIME);
    /**
     * {@code MYSQL_TIMESTAMPDIFF('UNIT', a, b)} (the front end's TIMESTAMPDIFF): whole units from a to b, exact to
     * the microsecond; a and b DATETIME, DATE or strings.
     */
    public static final SqlUserDefinedFunction TIMESTAMPDIFF = function("MYSQL_TIMESTAMPDIFF",
            List.of(SqlTypeFamily.ANY, SqlTypeFamily.ANY, SqlTypeFamily.ANY),
            b -> b.getTypeFactory().createTypeWithNullability(
                    b.getTypeFactory().createSqlType(SqlTypeName.BIGINT), true),
            (translator, call, nullAs) -> callWithRoot(translator, call, "timestampDiff",
                    Expressions.constant(call.getOperands().get(1).getType().getSqlTypeName().name()),
                    Expressions.constant(call.getOperands().get(2).getType().getSqlTypeName().name())),
            Evaluation.AT_RUN_TIME);

    /**
     * {@code MYSQL_DATE_ADD(x, amount, 'UNIT', sign)}: {@code x + INTERVAL amount UNIT} (sign -1: minus), which
     * {@link DateArithmetic} makes of MySQL's interval arithmetic, DATE_ADD/DATE_SUB/ADDDATE/SUBDATE and TIMESTAMPADD;
     * exact to the microsecond ({@link MysqlInterval}). Its type is MySQL's: a DATETIME with the digits of x and of the
     * interval; a DATE for a DATE moved by days or months; a TIME for a TIME; otherwise a string.
     */
    public static final SqlUserDefinedFunction DATE_ADD = function("MYSQL_DATE_ADD",
            List.of(SqlTypeFamily.ANY, SqlTypeFamily.ANY, SqlTypeFamily.ANY, SqlTypeFamily.ANY),
            MysqlOperators::dateAddType, MysqlOperators::implementDateAdd, Evaluation.AT_RUN_TIME);

    private static RelDataType dateAddType(org.apache.calcite.sql.SqlOperatorBinding b) {
        RelDataTypeFactory tf = b.getTypeFactory();
        RelDataType x = b.getOperandType(0);
        String unit = b.getOperandLiteralValue(2, String.class);
        int fsp = intervalFsp(unit, b.getOperandType(1));
        int xFsp = Math.max(0, x.getPrecision());
        RelDataType t = switch (x.getSqlTypeName()) {
            case TIMESTAMP -> tf.createSqlType(SqlTypeName.TIMESTAMP, Math.max(xFsp, fsp));
            case DATE -> MysqlInterval.isDateUnit(unit) ? tf.createSqlType(SqlTypeName.DATE)
                    : tf.createSqlType(SqlTypeName.TIMESTAMP, fsp);
            case TIME -> tf.createSqlType(SqlTypeName.TIME, Math.max(xFsp, fsp));
            default -> tf.createSqlType(SqlTypeName.VARCHAR, 26);
        };
        return tf.createTypeWithNullability(t, true);
    }

    /** The fraction digits an interval of this unit and amount type adds. */
    private static int intervalFsp(String unit, RelDataType amount) {
        return MysqlInterval.fsp(unit, intervalScale(amount));
    }

    /** The decimals of an interval amount of this type (a string may have six). */
    private static int intervalScale(RelDataType amount) {
        return SqlTypeUtil.isCharacter(amount) ? 6 : scaleOf(amount);
    }

    private static Expression implementDateAdd(org.apache.calcite.adapter.enumerable.RexToLixTranslator translator,
            org.apache.calcite.rex.RexCall call, org.apache.calcite.adapter.enumerable.RexImpTable.NullAs nullAs) {
        Expression type = Expressions.constant(call.getOperands().get(0).getType().getSqlTypeName().name());
        return switch (call.getType().getSqlTypeName()) {
            case TIMESTAMP -> callWithRoot(translator, call, "dateAddDatetime", type);
            case DATE -> callWithRoot(translator, call, "dateAddDate", type);
            case TIME -> callWithRoot(translator, call, "dateAddTime", type);
            default -> callWithRoot(translator, call, "dateAddString", type,
                    Expressions.constant(intervalScale(call.getOperands().get(1).getType())));
        };
    }

    private static RelDataType datetimeType(org.apache.calcite.sql.SqlOperatorBinding b) {
        Integer fsp = b.isOperandLiteral(1, false) ? b.getOperandLiteralValue(1, Integer.class) : null;
        return b.getTypeFactory().createTypeWithNullability(
                b.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP, fsp == null ? 6 : fsp), true);
    }

    /** How the front end marks the divisor of {@code a DIV b}: {@code a / MYSQL_DIV_DIVISOR(b)}. */
    private static final String DIV_DIVISOR = "MYSQL_DIV_DIVISOR";

    public static final SqlOperatorTable TABLE = SqlOperatorTables.chain(
            SqlOperatorTables.of(DIVIDE, MOD, INT_DIVIDE, TO_DOUBLE, TO_SIGNED, TO_DECIMAL, STRCMP, SLEEP, SUMMAND,
                    COLLATION_KEY, LENGTH, CHAR_LENGTH, HEX, UNHEX, TIMESTAMPDIFF, MICROSECOND, DATE_FORMAT,
                    DATE_ADD),
            SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.MYSQL,
                    SqlLibrary.BIG_QUERY));

    private MysqlOperators() {
    }

    /**
     * Replaces standard {@code /}, {@code %} and MOD() by MySQL's in a parsed statement,
     * {@code a / MYSQL_DIV_DIVISOR(b)} (the front end's rendering of {@code a DIV b}) by integer
     * division, arithmetic, comparisons and IN by the stand-ins of {@link MysqlConversions}; wraps
     * the operand of SUM in {@link #SUMMAND}; makes {@code AVG(x)} MySQL's {@code SUM(x) / COUNT(x)}
     * (a DECIMAL with four more decimals, rounded), except in window functions; makes
     * LENGTH/OCTET_LENGTH {@link #LENGTH} (bytes, not Calcite's characters); makes date arithmetic
     * {@link #DATE_ADD} ({@link DateArithmetic}); and drops unary plus,
     * which MySQL's parser ignores: {@code + 'abc'} is the string, not a number.
     */
    public static SqlNode rewrite(SqlNode node) {
        return node.accept(new SqlShuttle() {
            /** AVG calls of window functions, which stay AVG (SUM/COUNT would need the window twice). */
            private final Set<SqlCall> windowed = Collections.newSetFromMap(new IdentityHashMap<>());

            @Override
            public SqlNode visit(SqlCall call) {
                if (call.getKind() == SqlKind.OVER && call.operand(0) instanceof SqlCall aggregate) {
                    windowed.add(aggregate);
                }
                SqlNode visited = super.visit(call);
                if (!(visited instanceof SqlCall c)) {
                    return visited;
                }
                SqlOperator op = c.getOperator();
                if (op == SqlStdOperatorTable.UNARY_PLUS) {
                    return c.operand(0);
                }
                SqlCall dateArithmetic = DateArithmetic.rewrite(c);
                if (dateArithmetic != null) {
                    return dateArithmetic;
                }
                if (op == SqlStdOperatorTable.DIVIDE) {
                    if (c.operand(1) instanceof SqlCall divisor && isDivDivisor(divisor)) {
                        return converting(INT_DIVIDE, List.of(c.operand(0), divisor.operand(0)), c);
                    }
                    return converting(DIVIDE, c.getOperandList(), c);
                }
                if (op == SqlStdOperatorTable.PERCENT_REMAINDER || (op.getKind() == SqlKind.MOD && c.operandCount() == 2)) {
                    return converting(MOD, c.getOperandList(), c);
                }
                if (op == SqlStdOperatorTable.PLUS || op == SqlStdOperatorTable.MINUS || op == SqlStdOperatorTable.MULTIPLY
                        || op == SqlStdOperatorTable.UNARY_MINUS) {
                    return converting(op, c.getOperandList(), c);
                }
                if (isNamed(op, "STRCMP") && c.operandCount() == 2) {
                    return STRCMP.createCall(c.getParserPosition(), c.getOperandList());
                }
                if (op.getKind() == SqlKind.CAST && c.operandCount() == 2) {
                    return new SqlBasicCall(MysqlConversions.cast(op), c.getOperandList(), c.getParserPosition());
                }
                if ((isNamed(op, "CHAR_LENGTH") || isNamed(op, "CHARACTER_LENGTH")) && c.operandCount() == 1) {
                    return CHAR_LENGTH.createCall(c.getParserPosition(), c.getOperandList());
                }
                if ((isNamed(op, "LENGTH") || isNamed(op, "OCTET_LENGTH")) && c.operandCount() == 1) {
                    return LENGTH.createCall(c.getParserPosition(), c.getOperandList());
                }
                if (isNamed(op, "COALESCE") || (isNamed(op, "IFNULL") && c.operandCount() == 2)) {
                    return COALESCE.createCall(c.getFunctionQuantifier(), c.getParserPosition(), c.getOperandList());
                }
                if (isNamed(op, "SUM") && c.operandCount() == 1) {
                    SqlNode operand = c.operand(0);
                    c.setOperand(0, summand(operand));
                    return c;
                }
                if (isNamed(op, "AVG") && c.operandCount() == 1 && !windowed.contains(call)) {
                    // MySQL rounds the exact quotient (Calcite's AVG truncates, through 16 digits)
                    SqlLiteral quantifier = c.getFunctionQuantifier();
                    SqlParserPos pos = c.getParserPosition();
                    SqlNode operand = c.operand(0);
                    return converting(DIVIDE, List.of(
                            SqlStdOperatorTable.SUM.createCall(quantifier, pos, summand(operand)),
                            SqlStdOperatorTable.COUNT.createCall(quantifier, pos, operand)), c);
                }
                if (COMPARISONS.contains(op)) {
                    return new SqlBasicCall(MysqlConversions.comparison(op), c.getOperandList(), c.getParserPosition());
                }
                if (op == SqlStdOperatorTable.IN || op == SqlStdOperatorTable.NOT_IN) {
                    return new SqlBasicCall(MysqlConversions.in((SqlInOperator) op), c.getOperandList(),
                            c.getParserPosition());
                }
                return c;
            }
        });
    }

    private static RexNode convertCoalesce(SqlRexContext cx, SqlCall call) {
        RelDataType type = cx.getValidator().getValidatedNodeType(call);
        RexBuilder rexBuilder = cx.getRexBuilder();
        List<RexNode> operands = new ArrayList<>(call.operandCount());
        for (SqlNode operand : call.getOperandList()) {
            operands.add(rexBuilder.ensureType(type, cx.convertExpression(operand), false));
        }
        return rexBuilder.makeCall(type, SqlStdOperatorTable.COALESCE, operands);
    }

    /** A call of arithmetic {@code op} that converts strings to numbers as MySQL does. */
    private static SqlCall converting(SqlOperator op, List<SqlNode> operands, SqlCall original) {
        return new SqlBasicCall(MysqlConversions.arithmetic(op), operands, original.getParserPosition());
    }

    /** Whether {@code op} is the function {@code name}, resolved or not (the validator resolves the parser's). */
    private static boolean isNamed(SqlOperator op, String name) {
        return op.getName().equalsIgnoreCase(name);
    }

    private static SqlNode summand(SqlNode operand) {
        return SUMMAND.createCall(operand.getParserPosition(), operand);
    }

    /** Whether {@code call} marks the divisor of a DIV (see CalciteText#rewriteDiv). */
    private static boolean isDivDivisor(SqlCall call) {
        return call.getOperator().getName().equalsIgnoreCase(DIV_DIVISOR) && call.operandCount() == 1;
    }

    private static RelDataType divideType(org.apache.calcite.sql.SqlOperatorBinding b) {
        RelDataTypeFactory f = b.getTypeFactory();
        RelDataType x = b.getOperandType(0);
        RelDataType y = b.getOperandType(1);
        if (SqlTypeUtil.isExactNumeric(x) && SqlTypeUtil.isExactNumeric(y)) {
            int scale = Math.min(30, scaleOf(x) + MysqlTypeSystem.DIV_PRECISION_INCREMENT);
            int precision = Math.min(65, Math.max(1, precisionOf(x) - scaleOf(x) + scaleOf(y) + scale));
            return f.createTypeWithNullability(f.createSqlType(SqlTypeName.DECIMAL, Math.max(precision, scale), scale), true);
        }
        return f.createTypeWithNullability(f.createSqlType(SqlTypeName.DOUBLE), true);
    }

    private static RelDataType modType(org.apache.calcite.sql.SqlOperatorBinding b) {
        RelDataTypeFactory f = b.getTypeFactory();
        RelDataType x = b.getOperandType(0);
        RelDataType y = b.getOperandType(1);
        if (isExactInteger(x) && isExactInteger(y)) {
            return f.createTypeWithNullability(f.createSqlType(SqlTypeName.BIGINT), true);
        }
        if (SqlTypeUtil.isExactNumeric(x) && SqlTypeUtil.isExactNumeric(y)) {
            int scale = Math.max(scaleOf(x), scaleOf(y));
            return f.createTypeWithNullability(f.createSqlType(SqlTypeName.DECIMAL, 65, scale), true);
        }
        return f.createTypeWithNullability(f.createSqlType(SqlTypeName.DOUBLE), true);
    }

    private static RelDataType summandType(org.apache.calcite.sql.SqlOperatorBinding b) {
        RelDataType x = b.getOperandType(0);
        if (!isExactInteger(x)) {
            return x;
        }
        RelDataTypeFactory f = b.getTypeFactory();
        return f.createTypeWithNullability(f.createSqlType(SqlTypeName.DECIMAL, precisionOf(x), 0), x.isNullable());
    }

    private static Expression implementSummand(org.apache.calcite.adapter.enumerable.RexToLixTranslator translator,
            org.apache.calcite.rex.RexCall call, org.apache.calcite.adapter.enumerable.RexImpTable.NullAs nullAs) {
        if (call.getType().getSqlTypeName() != SqlTypeName.DECIMAL || !isExactInteger(call.getOperands().get(0).getType())) {
            return translator.translateList(call.getOperands()).get(0);
        }
        return Expressions.call(MysqlFunctions.class, "toDecimal", boxed(translator, call));
    }

    private static Expression implementDivide(org.apache.calcite.adapter.enumerable.RexToLixTranslator translator,
            org.apache.calcite.rex.RexCall call, org.apache.calcite.adapter.enumerable.RexImpTable.NullAs nullAs) {
        List<Expression> args = new ArrayList<>();
        args.add(Expressions.convert_(translator.getRoot(), Object.class));
        args.addAll(List.of(boxed(translator, call)));
        if (call.getType().getSqlTypeName() == SqlTypeName.DECIMAL) {
            args.add(Expressions.constant(call.getType().getScale()));
            return Expressions.call(MysqlFunctions.class, "divideDecimal", args);
        }
        return Expressions.call(MysqlFunctions.class, "divideDouble", args);
    }

    private static Expression implementMod(org.apache.calcite.adapter.enumerable.RexToLixTranslator translator,
            org.apache.calcite.rex.RexCall call, org.apache.calcite.adapter.enumerable.RexImpTable.NullAs nullAs) {
        String method = switch (call.getType().getSqlTypeName()) {
            case BIGINT -> "modLong";
            case DECIMAL -> "modDecimal";
            default -> "modDouble";
        };
        return callWithRoot(translator, call, method);
    }

    private static Expression[] boxed(org.apache.calcite.adapter.enumerable.RexToLixTranslator translator,
            org.apache.calcite.rex.RexCall call) {
        List<Expression> ops = translator.translateList(call.getOperands());
        Expression[] out = new Expression[ops.size()];
        for (int i = 0; i < out.length; i++) {
            Expression e = ops.get(i);
            out[i] = Expressions.convert_(e.getType() instanceof Class<?> c && c.isPrimitive() ? Expressions.box(e) : e,
                    Object.class);
        }
        return out;
    }

    private static boolean isExactInteger(RelDataType t) {
        return SqlTypeUtil.isExactNumeric(t) && scaleOf(t) == 0 && t.getSqlTypeName() != SqlTypeName.DECIMAL;
    }

    private static int scaleOf(RelDataType t) {
        return t.getSqlTypeName() == SqlTypeName.DECIMAL ? t.getScale() : 0;
    }

    private static int precisionOf(RelDataType t) {
        return switch (t.getSqlTypeName()) {
            case TINYINT -> 3;
            case SMALLINT -> 5;
            case INTEGER -> 10;
            case BIGINT -> 19;
            default -> t.getPrecision();
        };
    }

    /** Division and modulo: evaluated at run time, for their warning 1365 on a zero divisor. */
    private static SqlUserDefinedFunction arithmetic(String name, SqlReturnTypeInference returnType,
            CallImplementor implementor) {
        return function(name, List.of(SqlTypeFamily.NUMERIC, SqlTypeFamily.NUMERIC), returnType, implementor,
                Evaluation.AT_RUN_TIME);
    }

    private static SqlUserDefinedFunction function(String name, List<SqlTypeFamily> operands,
            SqlReturnTypeInference returnType, CallImplementor implementor) {
        return function(name, operands, returnType, implementor, Evaluation.FOLDABLE);
    }

    /** When the planner may evaluate a function's calls. */
    private enum Evaluation {
        /** Deterministic: calls of constants may be folded while planning. */
        FOLDABLE,
        /**
         * Deterministic, but evaluated only when the statement runs (its side effect, a warning,
         * belongs to the execution): a "dynamic function" to Calcite's expression reduction.
         */
        AT_RUN_TIME,
        /** Not deterministic: every call evaluated, none merged or folded. */
        EVERY_CALL
    }

    private static SqlUserDefinedFunction function(String name, List<SqlTypeFamily> operands,
            SqlReturnTypeInference returnType, CallImplementor implementor, Evaluation evaluation) {
        ImplementableScalar fn = new ImplementableScalar(implementor);
        return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                returnType, null,
                OperandTypes.operandMetadata(operands,
                        tf -> operands.stream().map(f -> f == SqlTypeFamily.ANY ? tf.createSqlType(SqlTypeName.ANY)
                                : tf.createSqlType(SqlTypeName.DECIMAL)).toList(),
                        i -> "arg" + i, i -> false),
                fn) {
            @Override
            public boolean isDeterministic() {
                return evaluation != Evaluation.EVERY_CALL;
            }

            @Override
            public boolean isDynamicFunction() {
                return evaluation != Evaluation.FOLDABLE;
            }
        };
    }

    /** A call of {@code MysqlFunctions.method(root, operands…)}: the function sees its execution's context. */
    private static Expression callWithRoot(org.apache.calcite.adapter.enumerable.RexToLixTranslator translator,
            org.apache.calcite.rex.RexCall call, String method, Expression... extra) {
        List<Expression> args = new ArrayList<>();
        args.add(Expressions.convert_(translator.getRoot(), Object.class));
        args.addAll(List.of(boxed(translator, call)));
        args.addAll(List.of(extra));
        return Expressions.call(MysqlFunctions.class, method, args);
    }

    /** A scalar function whose code is generated by a {@link CallImplementor}. */
    private record ImplementableScalar(CallImplementor implementor) implements ScalarFunction, ImplementableFunction {
        @Override
        public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
            return typeFactory.createSqlType(SqlTypeName.DECIMAL);
        }

        @Override
        public List<FunctionParameter> getParameters() {
            return List.of();
        }

        @Override
        public CallImplementor getImplementor() {
            return implementor;
        }
    }
}
