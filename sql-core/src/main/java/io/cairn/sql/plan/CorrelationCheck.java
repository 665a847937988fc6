package io.cairn.sql.plan;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.sql2rel.CorrelationReferenceFinder;

/**
 * Refuses a plan in which a correlated reference does not name the field it reads. Calcite 1.40's
 * SqlToRelConverter types the correlation variable of a sub-query in HAVING (or in the select list) of a
 * grouped query by the rows <em>before</em> grouping, while the filter (project) that binds it sees the
 * grouped rows: in {@code SELECT dst FROM t GROUP BY dst HAVING SUM(a) > (SELECT … WHERE x.src = t.dst)},
 * {@code t.dst} is field 2 of {@code t} but field 2 of the grouped rows is {@code SUM(a)}, so the
 * sub-query would silently read the sum (wrong rows), or planning fails an assertion. Such a statement is
 * 1235 (not supported) instead; the same query over a derived table of the grouped rows works. Stateless.
 */
final class CorrelationCheck {
    private CorrelationCheck() {
    }

    /** @throws SqlException 1235 when a correlated reference of {@code rel} would read another field */
    static void check(RelNode rel) {
        Map<CorrelationId, RelDataType> bound = new HashMap<>();
        rel.accept(new CorrelationReferenceFinder() {
            @Override
            public RelNode visit(RelNode other) {
                // recorded before the node's expressions (and the sub-queries in them) are visited
                if (!other.getVariablesSet().isEmpty() && !other.getInputs().isEmpty()) {
                    for (CorrelationId id : other.getVariablesSet()) {
                        bound.put(id, other.getInput(0).getRowType());
                    }
                }
                return super.visit(other);
            }

            @Override
            protected RexNode handle(RexFieldAccess access) {
                CorrelationId id = ((RexCorrelVariable) access.getReferenceExpr()).id;
                RelDataType rows = bound.get(id);
                RelDataTypeField field = access.getField();
                if (rows != null && !reads(rows, field)) {
                    throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "a correlated sub-query in HAVING or in the"
                            + " select list of a grouped query (select from the grouped query as a derived table)");
                }
                return access;
            }
        });
    }

    private static boolean reads(RelDataType rows, RelDataTypeField field) {
        if (field.getIndex() >= rows.getFieldCount()) {
            return false;
        }
        RelDataTypeField actual = rows.getFieldList().get(field.getIndex());
        return actual.getName().equals(field.getName())
                && actual.getType().getSqlTypeName() == field.getType().getSqlTypeName();
    }
}
