package io.cairn.mysql;

import java.util.List;

/**
 * What the engine knows about a prepared statement, answered to COM_STMT_PREPARE.
 *
 * @param parameters one definition per '?' placeholder (their number is the statement's parameter
 *                   count; type {@link ColumnType#VAR_STRING} is fine when the engine does not infer types).
 *                   The protocol has room for 65535: with more the wire layer closes the statement and
 *                   answers ERR 1390 (too many placeholders), as MySQL does
 * @param columns    the result columns, empty when the statement returns no result set or when they are
 *                   not known before execution (the execute response always carries its own metadata);
 *                   more than 65535 get ERR 1117 the same way
 * @param warnings   warning count
 */
public record StatementMetadata(List<ColumnDef> parameters, List<ColumnDef> columns, int warnings) {
    public StatementMetadata {
        parameters = List.copyOf(parameters);
        columns = List.copyOf(columns);
    }

    /** Metadata for {@code parameterCount} untyped parameters and the given result columns. */
    public static StatementMetadata of(int parameterCount, List<ColumnDef> columns) {
        ColumnDef p = ColumnDef.of("?", ColumnType.VAR_STRING);
        return new StatementMetadata(java.util.Collections.nCopies(parameterCount, p), columns, 0);
    }
}
