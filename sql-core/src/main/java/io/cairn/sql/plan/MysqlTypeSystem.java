package io.cairn.sql.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Calcite's type rules bent towards MySQL's: DECIMAL up to 65 digits (scale 30), SUM of a DECIMAL is a
 * DECIMAL(65) (MySQL: 22 more digits; a fixed width keeps re-derived SUMs of SUMs the same type), so is
 * SUM of integers ({@link MysqlOperators#SUMMAND} makes them decimals first), AVG of an exact number is a DECIMAL with four more decimals (div_precision_increment), and
 * ragged unions/VALUES become VARCHAR, not padded CHAR; TIMESTAMP/TIME precision up to 6 (MySQL's fsp).
 */
public final class MysqlTypeSystem extends RelDataTypeSystemImpl {
    public static final MysqlTypeSystem INSTANCE = new MysqlTypeSystem();
    /** MySQL's div_precision_increment default. */
    public static final int DIV_PRECISION_INCREMENT = 4;

    private MysqlTypeSystem() {
    }

    @Override
    public int getMaxNumericPrecision() {
        return 65;
    }

    @Override
    public int getMaxNumericScale() {
        return 30;
    }

    /** DECIMAL up to 65 digits; TIMESTAMP and TIME up to MySQL's 6 fractional-second digits (Calcite's default is 3). */
    @Override
    public int getMaxPrecision(SqlTypeName typeName) {
        return switch (typeName) {
            case DECIMAL -> 65;
            case TIMESTAMP, TIME, TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIME_WITH_LOCAL_TIME_ZONE -> 6;
            default -> super.getMaxPrecision(typeName);
        };
    }

    @Override
    public int getMaxScale(SqlTypeName typeName) {
        return typeName == SqlTypeName.DECIMAL ? 30 : super.getMaxScale(typeName);
    }

    @Override
    public RelDataType deriveSumType(RelDataTypeFactory factory, RelDataType argumentType) {
        if (argumentType.getSqlTypeName() == SqlTypeName.DECIMAL) {
            return factory.createTypeWithNullability(
                    factory.createSqlType(SqlTypeName.DECIMAL, 65, argumentType.getScale()), argumentType.isNullable());
        }
        if (SqlTypeUtil.isExactNumeric(argumentType)) {
            // SUMs the planner derives itself (over counts): Calcite's generated SUM cannot add
            // integers into a BigDecimal accumulator
            return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.BIGINT), argumentType.isNullable());
        }
        if (SqlTypeUtil.isApproximateNumeric(argumentType)) {
            return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.DOUBLE), argumentType.isNullable());
        }
        return super.deriveSumType(factory, argumentType);
    }

    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory factory, RelDataType argumentType) {
        if (SqlTypeUtil.isExactNumeric(argumentType)) {
            int scale = argumentType.getSqlTypeName() == SqlTypeName.DECIMAL ? argumentType.getScale() : 0;
            return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.DECIMAL, 65,
                    Math.min(30, scale + DIV_PRECISION_INCREMENT)), argumentType.isNullable());
        }
        if (SqlTypeUtil.isApproximateNumeric(argumentType)) {
            return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.DOUBLE), argumentType.isNullable());
        }
        return super.deriveAvgAggType(factory, argumentType);
    }

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
        return true;
    }
}
