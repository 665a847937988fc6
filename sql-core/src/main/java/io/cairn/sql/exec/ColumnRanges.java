package io.cairn.sql.exec;

import io.cairn.sql.codec.ValueKind;
import io.cairn.sql.plan.MysqlFunctions;
import io.cairn.sql.plan.MysqlOperators;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;

/**
 * Derives, from the filters Calcite pushes into a table scan, the value ranges one column can take:
 * {@code col = v}, {@code col < v} (and the other comparisons, either side), {@code BETWEEN} / IN
 * lists as {@code SEARCH(col, Sarg)}, several conjuncts intersected. The result is always a superset
 * of the matching values (Calcite re-applies every filter), so anything not understood is ignored.
 * String columns only yield points: their key order is the collation key's, not the comparison's.
 *
 * <p>Stateless and thread-safe.
 */
public final class ColumnRanges {
    /** A range of values; null bounds are open. Points have lo == hi, both inclusive. */
    public record Range(Object lo, boolean loInclusive, Object hi, boolean hiInclusive) {
        public boolean isPoint() {
            return lo != null && hi != null && loInclusive && hiInclusive && lo.equals(hi);
        }
    }

    private static final Object UNKNOWN = new Object();

    private ColumnRanges() {
    }

    /**
     * The ranges of column {@code column} allowed by all {@code filters}, or null when they do not
     * constrain it in a way understood here.
     */
    public static List<Range> of(List<RexNode> filters, int column, ValueKind kind, DataContext ctx) {
        List<Range> best = null;
        for (RexNode filter : filters) {
            for (RexNode conj : RelOptUtil.conjunctions(filter)) {
                List<Range> r = ranges(conj, column, kind, ctx);
                if (r == null) {
                    continue;
                }
                best = best == null ? r : intersect(best, r);
            }
        }
        if (best != null && kind == ValueKind.STRING) {
            for (Range r : best) {
                if (!r.isPoint()) {
                    return null;
                }
            }
        }
        return best;
    }

    private static List<Range> intersect(List<Range> a, List<Range> b) {
        if (a.size() == 1 && b.size() == 1) {
            Range x = a.get(0);
            Range y = b.get(0);
            Object lo = x.lo;
            boolean loInc = x.loInclusive;
            if (y.lo != null && (lo == null || compare(y.lo, lo) > 0 || (compare(y.lo, lo) == 0 && !y.loInclusive))) {
                lo = y.lo;
                loInc = y.loInclusive;
            }
            Object hi = x.hi;
            boolean hiInc = x.hiInclusive;
            if (y.hi != null && (hi == null || compare(y.hi, hi) < 0 || (compare(y.hi, hi) == 0 && !y.hiInclusive))) {
                hi = y.hi;
                hiInc = y.hiInclusive;
            }
            if (lo != null && hi != null && (compare(lo, hi) > 0 || (compare(lo, hi) == 0 && !(loInc && hiInc)))) {
                return List.of();
            }
            return List.of(new Range(lo, loInc, hi, hiInc));
        }
        return a.size() <= b.size() ? a : b;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        return ((Comparable) a).compareTo(b);
    }

    private static List<Range> ranges(RexNode conj, int column, ValueKind kind, DataContext ctx) {
        if (!(conj instanceof RexCall call)) {
            return null;
        }
        SqlKind k = call.getKind();
        if (k == SqlKind.SEARCH) {
            RexNode ref = call.getOperands().get(0);
            if (!isColumn(ref, column, kind) || !(call.getOperands().get(1) instanceof RexLiteral lit)) {
                return null;
            }
            Sarg<?> sarg = lit.getValueAs(Sarg.class);
            if (sarg == null || sarg.nullAs == org.apache.calcite.rex.RexUnknownAs.TRUE) {
                return null;
            }
            List<Range> out = new ArrayList<>();
            for (com.google.common.collect.Range<?> r : sarg.rangeSet.asRanges()) {
                Object lo = r.hasLowerBound() ? convert(r.lowerEndpoint(), kind) : null;
                Object hi = r.hasUpperBound() ? convert(r.upperEndpoint(), kind) : null;
                if (lo == UNKNOWN || hi == UNKNOWN || !exact(lo, ref, kind) || !exact(hi, ref, kind)) {
                    return null;
                }
                out.add(new Range(lo, r.hasLowerBound() && r.lowerBoundType() == com.google.common.collect.BoundType.CLOSED,
                        hi, r.hasUpperBound() && r.upperBoundType() == com.google.common.collect.BoundType.CLOSED));
            }
            return out;
        }
        if (call.getOperands().size() != 2) {
            return null;
        }
        RexNode left = call.getOperands().get(0);
        RexNode right = call.getOperands().get(1);
        boolean flipped = false;
        if (!isColumn(left, column, kind)) {
            if (!isColumn(right, column, kind)) {
                return null;
            }
            RexNode t = left;
            left = right;
            right = t;
            flipped = true;
        }
        Object v = value(right, kind, ctx);
        if (v == UNKNOWN || v == null || !exact(v, left, kind)) {
            return null;
        }
        SqlKind op = flipped ? k.reverse() : k;
        return switch (op) {
            case EQUALS -> List.of(new Range(v, true, v, true));
            case LESS_THAN -> List.of(new Range(null, false, v, false));
            case LESS_THAN_OR_EQUAL -> List.of(new Range(null, false, v, true));
            case GREATER_THAN -> List.of(new Range(v, false, null, false));
            case GREATER_THAN_OR_EQUAL -> List.of(new Range(v, true, null, false));
            default -> null;
        };
    }

    /**
     * Whether {@code n} is the column itself, a string column's collation key (strings compare by
     * it, see DefaultCollation; the stored key is the same key), or an integer column widened to
     * DOUBLE or BIGINT (a comparison with a string or a wider number casts it, see
     * MysqlConversions): the widening is one-to-one, so ranges of the cast are ranges of the column.
     */
    private static boolean isColumn(RexNode n, int column, ValueKind kind) {
        if (kind == ValueKind.STRING && n instanceof RexCall c && c.getOperator() == MysqlOperators.COLLATION_KEY) {
            n = c.getOperands().get(0);
            if (n.getKind() == SqlKind.CAST && !truncates((RexCall) n)) {
                n = ((RexCall) n).getOperands().get(0); // to the other side's VARCHAR
            }
        }
        if (n.getKind() == SqlKind.CAST && (kind == ValueKind.INT || kind == ValueKind.LONG)) {
            SqlTypeName to = n.getType().getSqlTypeName();
            if (to == SqlTypeName.DOUBLE || to == SqlTypeName.BIGINT) {
                n = ((RexCall) n).getOperands().get(0);
            }
        }
        if (kind == ValueKind.TIMESTAMP && n instanceof RexCall c && c.getOperator() == MysqlOperators.DATETIME) {
            n = c.getOperands().get(0); // a DATETIME column widened to more fraction digits: the same values
        }
        return n instanceof RexInputRef ref && ref.getIndex() == column;
    }

    /** Whether a cast between strings may shorten them (changing their key). */
    private static boolean truncates(RexCall cast) {
        RelDataType from = cast.getOperands().get(0).getType();
        RelDataType to = cast.getType();
        return !SqlTypeUtil.isCharacter(from) || !SqlTypeUtil.isCharacter(to)
                || (to.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED && to.getPrecision() < from.getPrecision());
    }

    /**
     * False for a BIGINT value compared through DOUBLE beyond 2^53, where neighbouring integers
     * share a double: the point would miss rows that the comparison matches.
     */
    private static boolean exact(Object v, RexNode columnSide, ValueKind kind) {
        return v == null || kind != ValueKind.LONG || columnSide.getType().getSqlTypeName() != SqlTypeName.DOUBLE
                || Math.abs((Long) v) < (1L << 53);
    }

    private static Object value(RexNode n, ValueKind kind, DataContext ctx) {
        Object v = raw(n, ctx);
        return v == UNKNOWN ? UNKNOWN : convert(v, kind);
    }

    /** The value of a literal or parameter {@code n} as it arrives, or UNKNOWN. */
    private static Object raw(RexNode n, DataContext ctx) {
        if (n instanceof RexLiteral lit) {
            return lit.getValue3();
        }
        if (n instanceof RexDynamicParam p) {
            return ctx.get("?" + p.getIndex());
        }
        if (n.getKind() == SqlKind.CAST && ((RexCall) n).getOperands().get(0) instanceof RexDynamicParam p
                && (p.getType().getSqlTypeName() == n.getType().getSqlTypeName() || widensInteger(p.getType(), n.getType()))) {
            return ctx.get("?" + p.getIndex()); // a typed parameter (StatementShaper), or an integer one widened
        }
        if (n instanceof RexCall c && c.getOperator() == MysqlOperators.COLLATION_KEY) {
            Object v = raw(c.getOperands().get(0), ctx); // a string compared by the default collation
            return v == UNKNOWN ? UNKNOWN : MysqlFunctions.collationKey(v instanceof NlsString s ? s.getValue() : v);
        }
        if (n instanceof RexCall c && c.getOperator() == MysqlOperators.DATETIME) {
            return raw(c.getOperands().get(0), ctx); // a DATETIME literal's microseconds (Microseconds)
        }
        if (n instanceof RexCall c && c.getOperator() == MysqlOperators.TO_DATETIME) {
            Object v = raw(c.getOperands().get(0), ctx); // a string compared with a DATETIME
            if (v == UNKNOWN || v == null || v instanceof Number) {
                return UNKNOWN;
            }
            try {
                return io.cairn.sql.codec.Temporals.toMicros(io.cairn.sql.codec.Temporals.toDateTime(
                        v instanceof NlsString s ? s.getValue() : v, null, 0),
                        ((RexLiteral) c.getOperands().get(1)).getValueAs(Integer.class));
            } catch (RuntimeException e) {
                return UNKNOWN;
            }
        }
        if (n instanceof RexCall c && c.getOperator() == MysqlOperators.TO_DOUBLE) {
            Object v = raw(c.getOperands().get(0), ctx); // a string compared with a number (MysqlConversions)
            return v == UNKNOWN ? UNKNOWN : MysqlFunctions.toDouble(v instanceof NlsString s ? s.getValue() : v);
        }
        return UNKNOWN;
    }

    /**
     * Whether a cast from {@code from} to {@code to} turns integers into BIGINT, which changes no value:
     * an INT literal compared with a BIGINT column arrives as {@code CAST(?0):BIGINT}. Without this, a
     * point query on a BIGINT primary key was a full scan.
     */
    private static boolean widensInteger(RelDataType from, RelDataType to) {
        return SqlTypeName.INT_TYPES.contains(from.getSqlTypeName()) && to.getSqlTypeName() == SqlTypeName.BIGINT;
    }

    private static Object convert(Object v, ValueKind kind) {
        if (v == null) {
            return null;
        }
        if (v instanceof NlsString s) {
            v = s.getValue();
        }
        switch (kind) {
            case INT, LONG -> {
                if (!(v instanceof Number num)) {
                    return UNKNOWN;
                }
                BigDecimal d = new BigDecimal(num.toString());
                if (d.stripTrailingZeros().scale() > 0) {
                    return UNKNOWN;
                }
                try {
                    return d.longValueExact();
                } catch (ArithmeticException e) {
                    return UNKNOWN;
                }
            }
            case DOUBLE -> {
                return v instanceof Number num ? (Object) num.doubleValue() : UNKNOWN;
            }
            case DECIMAL -> {
                return v instanceof Number num ? new BigDecimal(num.toString()) : UNKNOWN;
            }
            case STRING -> {
                return v instanceof String ? v : UNKNOWN;
            }
            case DATE -> {
                if (v instanceof DateString ds) {
                    return (long) ds.getDaysSinceEpoch();
                }
                return v instanceof Integer i ? (Object) (long) i : UNKNOWN;
            }
            case TIMESTAMP -> {
                if (v instanceof TimestampString ts) {
                    return io.cairn.sql.plan.Microseconds.micros(ts);
                }
                return v instanceof Long ? v : UNKNOWN;
            }
            default -> {
                return UNKNOWN;
            }
        }
    }
}
