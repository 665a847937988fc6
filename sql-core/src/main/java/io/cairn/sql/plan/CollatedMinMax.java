package io.cairn.sql.plan;

import io.cairn.sql.codec.KeyCodec;
import java.util.List;
import org.apache.calcite.schema.impl.AggregateFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedAggFunction;
import org.apache.calcite.util.Optionality;

/**
 * MIN and MAX of strings under the default collation ({@link KeyCodec#collationKey}): the value
 * whose key is least (greatest), in its own spelling; of equal keys the first one seen. So
 * {@code MIN('b', 'A')} is {@code 'A'}, and MIN over a group of equal strings is its first row's
 * spelling — which is also how {@link DefaultCollation} picks the spelling a GROUP BY or DISTINCT
 * shows. Calcite's generated code calls {@link Min} and {@link Max} (static, so this class sits beside
 * Calcite, see STACK-NOTES); the accumulator is the value kept so far. Nulls never reach them.
 */
public final class CollatedMinMax {
    /** MIN of strings. */
    static final SqlUserDefinedAggFunction MIN = function("MYSQL_COLLATED_MIN", Min.class);
    /** MAX of strings. */
    static final SqlUserDefinedAggFunction MAX = function("MYSQL_COLLATED_MAX", Max.class);

    private CollatedMinMax() {
    }

    /** The accumulator of MIN. */
    public static final class Min {
        private Min() {
        }

        public static String init() {
            return null;
        }

        public static String add(String kept, String value) {
            return kept == null || compare(value, kept) < 0 ? value : kept;
        }

        public static String result(String kept) {
            return kept;
        }
    }

    /** The accumulator of MAX. */
    public static final class Max {
        private Max() {
        }

        public static String init() {
            return null;
        }

        public static String add(String kept, String value) {
            return kept == null || compare(value, kept) > 0 ? value : kept;
        }

        public static String result(String kept) {
            return kept;
        }
    }

    private static int compare(String a, String b) {
        return KeyCodec.collationKey(a).compareTo(KeyCodec.collationKey(b));
    }

    /** The result keeps the argument's type, so plans that re-derive it see the same type. */
    private static SqlUserDefinedAggFunction function(String name, Class<?> implementation) {
        return new SqlUserDefinedAggFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                ReturnTypes.ARG0_NULLABLE_IF_EMPTY, null,
                OperandTypes.operandMetadata(List.of(SqlTypeFamily.CHARACTER),
                        tf -> List.of(tf.createSqlType(SqlTypeName.VARCHAR)), i -> "arg" + i, i -> false),
                AggregateFunctionImpl.create(implementation), false, false, Optionality.FORBIDDEN);
    }
}
