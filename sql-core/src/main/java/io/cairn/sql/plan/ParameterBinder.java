package io.cairn.sql.plan;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Turns parameter values (as {@link io.cairn.sql.frontend.StatementShaper} takes them from literals)
 * into the DataContext entries "?0", "?1", … of a compiled plan, in Calcite's internal representation
 * of each parameter's validated type. A value that does not fit its type exactly makes the whole
 * binding fail (null): the caller then runs the literal text, so a parameter never changes a result.
 * Stateless and thread-safe.
 */
public final class ParameterBinder {
    private ParameterBinder() {
    }

    /** The DataContext entries, or null when some value does not fit its parameter's type. */
    public static Map<String, Object> bind(List<RelDataType> types, List<Object> values) {
        if (types.size() != values.size()) {
            return null;
        }
        Map<String, Object> out = new HashMap<>(values.size() * 2);
        for (int i = 0; i < values.size(); i++) {
            Object v = internal(types.get(i), values.get(i));
            if (v == null) {
                return null;
            }
            out.put("?" + i, v);
        }
        return out;
    }

    private static Object internal(RelDataType type, Object v) {
        switch (type.getSqlTypeName()) {
            case INTEGER:
                return v instanceof Integer ? v : null;
            case BIGINT:
                return v instanceof Long || v instanceof Integer ? (Object) ((Number) v).longValue() : null;
            case DOUBLE:
                return v instanceof Double ? v : null;
            case DECIMAL:
                if (v instanceof BigDecimal d && d.scale() <= type.getScale()
                        && d.precision() - d.scale() <= type.getPrecision() - type.getScale()) {
                    return d;
                }
                return null;
            case VARCHAR:
                return v instanceof String s && (type.getPrecision() < 0 || s.length() <= type.getPrecision()) ? s : null;
            default:
                return null;
        }
    }
}
