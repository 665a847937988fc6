package io.cairn.mysql.server;

import io.cairn.mysql.QueryResult;
import io.cairn.mysql.RowStream;

import java.util.Iterator;

/** The rows of a materialised result as a {@link RowStream}, for a cursor over a result the engine built whole. */
final class ListRowStream implements RowStream {
    private final Iterator<Object[]> rows;
    private final int warnings;

    ListRowStream(QueryResult.Rows result) {
        this.rows = result.rows().iterator();
        this.warnings = result.warnings();
    }

    @Override
    public Object[] next() {
        return rows.hasNext() ? rows.next() : null;
    }

    @Override
    public int finish() {
        return warnings;
    }

    @Override
    public void close() {
    }
}
