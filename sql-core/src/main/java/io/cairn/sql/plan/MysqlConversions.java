package io.cairn.sql.plan;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlInOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.util.BitString;

/**
 * MySQL's implicit conversions to numbers where Calcite's differ: a string operand of arithmetic,
 * or compared in an IN with numbers, is the DOUBLE of its numeric prefix ({@code '12ab'} → 12,
 * {@code 'abc'} → 0), where Calcite casts, which fails on such strings; and a hex literal
 * {@code x'…'} next to numbers is the number it spells, where Calcite cannot mix binary strings and
 * numbers at all ({@code x'41' + 0} is 65). (MySQL also warns, 1292, of a string it truncates;
 * Cairn does not yet.)
 *
 * <p>Which operands to convert depends on their types, known only while the validator derives the
 * call's type. So {@link MysqlOperators#rewrite} gives each such call a stand-in for its operator
 * (Calcite's or MySQL's): deriving the call's type, the stand-in converts the operands, hands the
 * call back to the real operator and lets it derive the type, so planning and code generation see
 * the real operator only. Immutable.
 */
final class MysqlConversions {
    private MysqlConversions() {
    }

    /** A stand-in for the arithmetic operator {@code target} (binary or prefix). */
    static SqlOperator arithmetic(SqlOperator target) {
        return new Arithmetic(target);
    }

    /** A stand-in for a comparison ({@code = <> < <= > >= <=>}, BETWEEN). */
    static SqlOperator comparison(SqlOperator target) {
        return new Comparison(target);
    }

    /** A stand-in for {@code IN} or {@code NOT IN}. */
    static SqlOperator in(SqlInOperator target) {
        return new In(target);
    }

    /** A stand-in for CAST. */
    static SqlOperator cast(SqlOperator target) {
        return new Cast(target);
    }

    /** An operator that looks like {@code target} until its call's type is derived. */
    private abstract static class StandIn extends SqlOperator {
        final SqlOperator target;

        StandIn(SqlOperator target) {
            super(target.getName(), target.getKind(), target.getLeftPrec(), target.getRightPrec(),
                    target.getReturnTypeInference(), target.getOperandTypeInference(), target.getOperandTypeChecker());
            this.target = target;
        }

        @Override
        public SqlSyntax getSyntax() {
            return target.getSyntax();
        }
    }

    /** Arithmetic: string and hex-literal operands become numbers, unless dates or intervals take part. */
    private static final class Arithmetic extends StandIn {
        Arithmetic(SqlOperator target) {
            super(target);
        }

        @Override
        public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
            List<RelDataType> types = new ArrayList<>();
            boolean temporal = false;
            for (SqlNode operand : call.getOperandList()) {
                RelDataType t = validator.deriveType(scope, operand);
                types.add(t);
                temporal |= SqlTypeUtil.isDatetime(t) || SqlTypeUtil.isInterval(t);
            }
            if (!temporal) {
                for (int i = 0; i < types.size(); i++) {
                    convert(validator, scope, call, i, types.get(i));
                }
                widenIntegers(validator, scope, call);
            }
            return resolve(validator, scope, call, target);
        }

        /**
         * MySQL computes {@code + - *} of integers in BIGINT ({@code 2147483647 + 1} is 2147483648),
         * Calcite in the wider operand's type: narrower integer operands are cast to BIGINT, so only
         * a BIGINT overflow fails (1690).
         */
        private void widenIntegers(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
            SqlKind kind = target.getKind();
            if (kind != SqlKind.PLUS && kind != SqlKind.MINUS && kind != SqlKind.TIMES && kind != SqlKind.MINUS_PREFIX) {
                return;
            }
            List<RelDataType> types = new ArrayList<>();
            for (SqlNode operand : call.getOperandList()) {
                RelDataType t = validator.deriveType(scope, operand);
                if (!SqlTypeUtil.isIntType(t)) {
                    return;
                }
                types.add(t);
            }
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i).getSqlTypeName() != SqlTypeName.BIGINT) {
                    SqlNode operand = call.operand(i);
                    SqlNode cast = SqlStdOperatorTable.CAST.createCall(operand.getParserPosition(), operand,
                            new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.BIGINT, SqlParserPos.ZERO),
                                    SqlParserPos.ZERO));
                    validator.deriveType(scope, cast);
                    call.setOperand(i, cast);
                }
            }
        }
    }

    /**
     * A comparison with a number on one side: strings and hex literals on the others become numbers,
     * so {@code int_col = 'abc'} compares with 0 and {@code x'41' = 65} is true, where Calcite would
     * cast the string to the column's type (failing on {@code 'abc'}) or refuse binary against number.
     * Strings compared with dates or strings keep Calcite's rules.
     */
    private static final class Comparison extends StandIn {
        Comparison(SqlOperator target) {
            super(target);
        }

        @Override
        public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
            List<RelDataType> types = new ArrayList<>();
            boolean number = false;
            for (SqlNode operand : call.getOperandList()) {
                RelDataType t = validator.deriveType(scope, operand);
                types.add(t);
                number |= SqlTypeUtil.isNumeric(t);
            }
            if (number) {
                for (int i = 0; i < types.size(); i++) {
                    convert(validator, scope, call, i, types.get(i));
                }
            }
            return resolve(validator, scope, call, target);
        }
    }

    /**
     * CAST of a string to a number: MySQL takes the string's numeric prefix and warns (1292) of what
     * it cut off ({@code CAST('12abc' AS SIGNED)} is 12, {@code CAST('x' AS SIGNED)} 0), where Calcite's
     * cast fails on such strings. The string operand goes through {@link MysqlOperators#TO_SIGNED},
     * {@link MysqlOperators#TO_DECIMAL} or {@link MysqlOperators#TO_DOUBLE} first, so the cast itself
     * is from a number.
     */
    private static final class Cast extends StandIn {
        Cast(SqlOperator target) {
            super(target);
        }

        @Override
        public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
            RelDataType from = validator.deriveType(scope, call.operand(0));
            if (SqlTypeUtil.isCharacter(from) && call.operand(1) instanceof SqlDataTypeSpec spec) {
                SqlTypeName to = SqlTypeName.get(spec.getTypeName().getSimple().toUpperCase(java.util.Locale.ROOT));
                SqlOperator conversion = to == null ? null : switch (to) {
                    case TINYINT, SMALLINT, INTEGER, BIGINT -> MysqlOperators.TO_SIGNED;
                    case DECIMAL -> MysqlOperators.TO_DECIMAL;
                    case DOUBLE, FLOAT, REAL -> MysqlOperators.TO_DOUBLE;
                    default -> null;
                };
                if (conversion != null) {
                    SqlNode operand = call.operand(0);
                    SqlNode converted = conversion.createCall(operand.getParserPosition(), operand);
                    validator.deriveType(scope, converted);
                    call.setOperand(0, converted);
                }
            }
            return resolve(validator, scope, call, target);
        }
    }

    /**
     * IN: with numbers on one side, strings and hex literals on the other become numbers. MySQL
     * compares a list of both strings and numbers element by element with each one's rules; here the
     * list gets one comparison type (Calcite's), so a string left operand is compared as a string
     * with the numbers of such a list.
     */
    private static final class In extends SqlInOperator {
        private final SqlInOperator target;

        In(SqlInOperator target) {
            super(target.getName(), target.getKind());
            this.target = target;
        }

        @Override
        public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
            RelDataType leftType = validator.deriveType(scope, call.operand(0));
            if (call.operand(1) instanceof SqlNodeList list) {
                List<RelDataType> types = new ArrayList<>();
                boolean allNumbers = true;
                for (SqlNode element : list) {
                    RelDataType t = validator.deriveType(scope, element);
                    types.add(t);
                    allNumbers &= isNumber(element, t);
                }
                if (SqlTypeUtil.isNumeric(leftType)) {
                    for (int i = 0; i < list.size(); i++) {
                        SqlNode converted = toNumber(validator, scope, list.get(i), types.get(i));
                        if (converted != null) {
                            list.set(i, converted);
                        }
                    }
                } else if (allNumbers && !list.isEmpty()) {
                    convert(validator, scope, call, 0, leftType);
                    for (int i = 0; i < list.size(); i++) {
                        SqlNode converted = toNumber(validator, scope, list.get(i), types.get(i));
                        if (converted != null) {
                            list.set(i, converted);
                        }
                    }
                }
            } else {
                RelDataType rowType = validator.deriveType(scope, call.operand(1));
                if (rowType.isStruct() && rowType.getFieldCount() == 1
                        && SqlTypeUtil.isNumeric(rowType.getFieldList().get(0).getType())) {
                    convert(validator, scope, call, 0, leftType);
                }
            }
            return resolve(validator, scope, call, target);
        }
    }

    /** Hands {@code call} to {@code target} and lets it derive the type. */
    private static RelDataType resolve(SqlValidator validator, SqlValidatorScope scope, SqlCall call,
            SqlOperator target) {
        ((SqlBasicCall) call).setOperator(target);
        return target.deriveType(validator, scope, call);
    }

    /** Replaces operand {@code i} of {@code call} by its number if it is a string or a hex literal. */
    private static void convert(SqlValidator validator, SqlValidatorScope scope, SqlCall call, int i,
            RelDataType type) {
        SqlNode converted = toNumber(validator, scope, call.operand(i), type);
        if (converted != null) {
            call.setOperand(i, converted);
        }
    }

    /** The number MySQL makes of a string or hex literal {@code node} (validated), or null for others. */
    private static SqlNode toNumber(SqlValidator validator, SqlValidatorScope scope, SqlNode node, RelDataType type) {
        SqlNode number;
        if (isHexLiteral(node)) {
            byte[] bytes = ((SqlLiteral) node).getValueAs(BitString.class).getAsByteArray();
            number = SqlLiteral.createExactNumeric(new BigInteger(1, bytes).toString(), node.getParserPosition());
        } else if (SqlTypeUtil.isCharacter(type)) {
            number = MysqlOperators.TO_DOUBLE.createCall(node.getParserPosition(), node);
        } else {
            return null;
        }
        validator.deriveType(scope, number);
        return number;
    }

    private static boolean isNumber(SqlNode node, RelDataType type) {
        return SqlTypeUtil.isNumeric(type) || isHexLiteral(node);
    }

    private static boolean isHexLiteral(SqlNode node) {
        return node.getKind() == SqlKind.LITERAL && ((SqlLiteral) node).getTypeName() == SqlTypeName.BINARY;
    }
}
