package io.cairn.sql.session;

import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.ColumnType;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import io.cairn.txn.DeadlockException;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.WriteConflictException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * MySQL's XA statements, for a transaction manager that drives this database as an XA resource
 * (Connector/J's {@code MysqlXADataSource}, which Liberty picks for a data source configured with
 * server properties and no type). Cairn has no durable prepared state, so it takes part in global
 * transactions with one resource only: {@code XA COMMIT … ONE PHASE} commits, {@code XA PREPARE} is
 * refused with XAER_INVAL (the transaction manager then rolls the branch back), and {@code XA
 * RECOVER} has nothing to report. A branch goes ACTIVE (START) → IDLE (END) → committed or rolled
 * back; statements run only while it is ACTIVE. One use per statement.
 */
final class XaStatements {
    /** Where the session's XA branch stands. */
    enum State { ACTIVE, IDLE }

    /** The session's XA branch: its xid (gtrid, bqual and format in one text) and state. */
    static final class Branch {
        final String xid;
        State state = State.ACTIVE;

        Branch(String xid) {
            this.xid = xid;
        }
    }

    private final SessionTransaction transaction;

    XaStatements(SessionTransaction transaction) {
        this.transaction = transaction;
    }

    QueryResult run(TokenCursor c) {
        c.expect("XA");
        Token verb = c.next();
        switch (verb.keyword()) {
            case "START", "BEGIN" -> {
                String xid = xid(c);
                if (c.accept("JOIN") || c.accept("RESUME")) {
                    throw new SqlException(MysqlError.XAER_INVAL);
                }
                c.expectEnd();
                Branch current = transaction.xaBranch();
                if (current != null) {
                    throw rmfail(current);
                }
                if (transaction.open() && transaction.explicit()) {
                    throw new SqlException(MysqlError.XAER_OUTSIDE);
                }
                transaction.startXa(new Branch(xid));
            }
            case "END" -> {
                Branch b = branch(c);
                if (c.accept("SUSPEND")) {
                    throw new SqlException(MysqlError.XAER_INVAL);
                }
                c.expectEnd();
                if (b.state != State.ACTIVE) {
                    throw rmfail(b);
                }
                b.state = State.IDLE;
            }
            case "PREPARE" -> {
                Branch b = branch(c);
                c.expectEnd();
                if (b.state != State.IDLE) {
                    throw rmfail(b);
                }
                throw new SqlException(MysqlError.XAER_INVAL); // no durable prepared state: one phase only
            }
            case "COMMIT" -> {
                Branch b = branch(c);
                boolean onePhase = c.acceptAll("ONE", "PHASE");
                c.expectEnd();
                if (b.state != State.IDLE || !onePhase) {
                    throw rmfail(b); // a two-phase commit needs a prepared branch, which never exists here
                }
                try {
                    transaction.endXa(true);
                } catch (WriteConflictException | SnapshotTooOldException | DeadlockException e) {
                    throw new SqlException(MysqlError.XA_RBDEADLOCK); // refused for sure: the branch is rolled back
                }
            }
            case "ROLLBACK" -> {
                Branch b = branch(c);
                c.expectEnd();
                if (b.state != State.IDLE) {
                    throw rmfail(b);
                }
                transaction.endXa(false);
            }
            case "RECOVER" -> {
                c.acceptAll("CONVERT", "XID");
                c.expectEnd();
                return new QueryResult.Rows(List.of(ColumnDef.of("formatID", ColumnType.LONGLONG),
                        ColumnDef.of("gtrid_length", ColumnType.LONGLONG), ColumnDef.of("bqual_length", ColumnType.LONGLONG),
                        ColumnDef.of("data", ColumnType.VAR_STRING)), List.of(), 0);
            }
            default -> throw c.error();
        }
        return QueryResult.ok();
    }

    /** The session's branch, which the statement's xid must name. */
    private Branch branch(TokenCursor c) {
        String xid = xid(c);
        Branch b = transaction.xaBranch();
        if (b == null || !b.xid.equals(xid)) {
            throw new SqlException(MysqlError.XAER_NOTA);
        }
        return b;
    }

    private static SqlException rmfail(Branch b) {
        return new SqlException(MysqlError.XAER_RMFAIL, b.state.name());
    }

    /** {@code gtrid [, bqual [, formatID]]}, each part a string or hex literal, as one comparable text. */
    private static String xid(TokenCursor c) {
        String gtrid = part(c);
        String bqual = c.acceptSymbol(",") ? part(c) : "";
        long format = 1;
        if (c.acceptSymbol(",")) {
            Token t = c.next(); // a number; Connector/J writes it in hex (0x…)
            if (t.type() != Token.Type.NUMBER && t.type() != Token.Type.HEX) {
                throw c.error();
            }
            try {
                format = Long.parseLong(t.text(), t.type() == Token.Type.HEX ? 16 : 10);
            } catch (NumberFormatException e) {
                throw new SqlException(MysqlError.XAER_INVAL);
            }
        }
        if (gtrid.length() > 128 || bqual.length() > 128) { // 64 bytes each, as hex
            throw new SqlException(MysqlError.XAER_INVAL);
        }
        return gtrid + "," + bqual + "," + format;
    }

    private static String part(TokenCursor c) {
        Token t = c.next();
        return switch (t.type()) {
            case STRING -> HexFormat.of().formatHex(t.text().getBytes(StandardCharsets.UTF_8));
            case HEX -> t.text().toLowerCase(java.util.Locale.ROOT);
            default -> throw c.error();
        };
    }
}
