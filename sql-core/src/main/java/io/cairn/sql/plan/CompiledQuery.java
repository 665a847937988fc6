package io.cairn.sql.plan;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.Bindable;

/**
 * A query compiled to Java code, ready to run any number of times, from any thread, against an
 * {@link io.cairn.sql.exec.ExecContext} (STACK-NOTES: a cached Bindable is safe to share).
 *
 * @param bindable       the generated code
 * @param rowType        the result row type (field names are the result column labels)
 * @param parameterTypes the types of the dynamic parameters "?0", "?1", …
 * @param catalogVersion the catalog version it was compiled against
 * @param internals      objects the generated code reads from the DataContext by name (stashed plan parts)
 * @param access         the tables, views and columns it reads, with the rights each is checked with:
 *                       a plan is shared by every session and user, so each execution checks them
 */
public record CompiledQuery(Bindable<Object> bindable, RelDataType rowType, List<RelDataType> parameterTypes,
                            long catalogVersion, java.util.Map<String, Object> internals,
                            List<io.cairn.sql.auth.TableAccess> access) {
}
