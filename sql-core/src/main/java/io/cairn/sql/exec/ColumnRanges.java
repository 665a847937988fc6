package io.cairn.sql.exec;

import io.cairn.sql.codec.ValueKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
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
            if (!isRef(call.getOperands().get(0), column) || !(call.getOperands().get(1) instanceof RexLiteral lit)) {
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
                if (lo == UNKNOWN || hi == UNKNOWN) {
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
        if (!isRef(left, column)) {
            if (!isRef(right, column)) {
                return null;
            }
            RexNode t = left;
            left = right;
            right = t;
            flipped = true;
        }
        Object v = value(right, kind, ctx);
        if (v == UNKNOWN || v == null) {
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

    private static boolean isRef(RexNode n, int column) {
        return n instanceof RexInputRef ref && ref.getIndex() == column;
    }

    private static Object value(RexNode n, ValueKind kind, DataContext ctx) {
        if (n instanceof RexLiteral lit) {
            return convert(lit.getValue3(), kind);
        }
        if (n instanceof RexDynamicParam p) {
            return convert(ctx.get("?" + p.getIndex()), kind);
        }
        if (n.getKind() == SqlKind.CAST && ((RexCall) n).getOperands().get(0) instanceof RexDynamicParam p
                && p.getType().getSqlTypeName() == n.getType().getSqlTypeName()) {
            return convert(ctx.get("?" + p.getIndex()), kind); // a typed parameter (StatementShaper)
        }
        return UNKNOWN;
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
                    return ts.getMillisSinceEpoch();
                }
                return v instanceof Long ? v : UNKNOWN;
            }
            default -> {
                return UNKNOWN;
            }
        }
    }
}
