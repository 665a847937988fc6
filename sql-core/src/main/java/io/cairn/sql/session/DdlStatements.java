package io.cairn.sql.session;

import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.AccessChecks;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.IndexDefinition;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.exec.DdlExecutor;
import io.cairn.sql.exec.IndexBuild;
import io.cairn.sql.frontend.DdlParser;
import io.cairn.sql.frontend.DdlStatement;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import io.cairn.sql.plan.CatalogSchemas;
import io.cairn.txn.WriteConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.calcite.schema.SchemaPlus;

/**
 * MySQL DDL (CREATE/DROP DATABASE, CREATE/DROP/ALTER/TRUNCATE TABLE, CREATE/DROP INDEX, CREATE VIEW):
 * parsed by {@link DdlParser}, checked against the session's privileges, then run by {@link DdlExecutor}
 * in a transaction of its own after an implicit commit of the session's, as in MySQL. ADD INDEX builds
 * the index online ({@link IndexBuild}). One use per statement.
 */
final class DdlStatements {
    /** A DDL that keeps losing write conflicts to concurrent DDL gives up after this many runs. */
    private static final int DDL_ATTEMPTS = 20;

    private final Session session;

    DdlStatements(Session session) {
        this.session = session;
    }

    QueryResult run(TokenCursor c) {
        Token second = c.peek(1);
        String k2 = second == null ? "" : second.keyword();
        DdlStatement ddl;
        if (c.peek().keyword().equals("DROP") && (k2.equals("INDEX") || k2.equals("KEY"))) {
            ddl = DdlParser.parseDropIndex(c);
        } else {
            ddl = DdlParser.parse(c);
        }
        checkPrivilege(ddl);
        if (ddl instanceof DdlStatement.CreateView cv) {
            Account account = session.account();
            ddl = cv.withDefiner(cv.definerUser() != null ? cv.definerUser() : account.user(),
                    cv.definerUser() != null ? cv.definerHost() : account.host());
        }
        session.transaction().commitImplicitly();
        runDdl(ddl);
        if (ddl instanceof DdlStatement.AlterTable || ddl instanceof DdlStatement.CreateIndex
                || ddl instanceof DdlStatement.DropIndex) {
            // MySQL's info of a table rebuild (its Records count is 0 for in-place changes, as here)
            int warnings = session.diagnostics().warningCount();
            return new QueryResult.Ok(0, 0, warnings, "Records: 0  Duplicates: 0  Warnings: " + warnings);
        }
        return QueryResult.ok();
    }

    /**
     * MySQL's privileges for DDL: CREATE/DROP on the database for CREATE/DROP DATABASE (1044), and on
     * each table for the others (1142): CREATE (and SELECT on the LIKE table), DROP (also TRUNCATE),
     * INDEX for CREATE/DROP INDEX, ALTER, CREATE and INSERT for ALTER TABLE, CREATE VIEW (and DROP for
     * OR REPLACE of an existing view; the view's query is checked when it is compiled, see
     * {@link #validateView}).
     */
    private void checkPrivilege(DdlStatement ddl) {
        AccountPrivileges p = session.privilegesNow();
        if (ddl instanceof DdlStatement.CreateDatabase cd) {
            requireDatabase(p, Privilege.CREATE, cd.name());
        } else if (ddl instanceof DdlStatement.DropDatabase dd) {
            requireDatabase(p, Privilege.DROP, dd.name());
        } else if (ddl instanceof DdlStatement.CreateTable ct) {
            requireTable(p, ct.table(), Privilege.CREATE);
            if (ct.like() != null) {
                requireTable(p, ct.like(), Privilege.SELECT);
            }
        } else if (ddl instanceof DdlStatement.DropTable dt) {
            for (DdlStatement.Name n : dt.tables()) {
                requireTable(p, n, Privilege.DROP);
            }
        } else if (ddl instanceof DdlStatement.CreateIndex ci) {
            requireTable(p, ci.table(), Privilege.INDEX);
        } else if (ddl instanceof DdlStatement.DropIndex di) {
            requireTable(p, di.table(), Privilege.INDEX);
        } else if (ddl instanceof DdlStatement.Truncate tr) {
            requireTable(p, tr.table(), Privilege.DROP);
        } else if (ddl instanceof DdlStatement.AlterTable at) {
            requireTable(p, at.table(), Privilege.ALTER);
            requireTable(p, at.table(), Privilege.CREATE);
            requireTable(p, at.table(), Privilege.INSERT);
        } else if (ddl instanceof DdlStatement.CreateView cv) {
            requireTable(p, cv.view(), Privilege.CREATE_VIEW);
            String db = cv.view().database() != null ? cv.view().database() : session.database();
            TableDefinition existing = session.catalogNow().table(db, cv.view().name());
            if (cv.orReplace() && existing != null) {
                requireTable(p, cv.view(), Privilege.DROP);
            }
            Account account = session.account();
            if (cv.definerUser() != null && !(cv.definerUser().equals(account.user())
                    && cv.definerHost().equalsIgnoreCase(account.host()))
                    && !p.hasGlobal(Privilege.SUPER)) {
                throw new SqlException(MysqlError.SPECIFIC_ACCESS_DENIED, "SUPER or SET_USER_ID");
            }
        }
    }

    /** 1044 unless the session's user holds {@code privilege} on database {@code db}. */
    private void requireDatabase(AccountPrivileges p, Privilege privilege, String db) {
        if (!privilege.in(p.database(db))) {
            throw new SqlException(MysqlError.DB_ACCESS_DENIED, session.user(), session.account().host(), db);
        }
    }

    /** 1142 unless the session's user holds {@code privilege} on the table (1046 without a database). */
    private void requireTable(AccountPrivileges p, DdlStatement.Name n, Privilege privilege) {
        String db = n.database() != null ? n.database() : session.database();
        if (db == null) {
            throw new SqlException(MysqlError.NO_DB);
        }
        AccessChecks.require(p, db, n.name(), privilege, List.of(), false, session.user(), session.clientHost());
    }

    private void runDdl(DdlStatement ddl) {
        if (ddl instanceof DdlStatement.CreateIndex c) {
            buildIndex(c.table(), c.index());
            return;
        }
        if (ddl instanceof DdlStatement.AlterTable a && a.actions().size() == 1
                && a.actions().get(0) instanceof DdlStatement.AddIndex add) {
            buildIndex(a.table(), add.index());
            return;
        }
        inDdlTransaction(x -> {
            x.execute(ddl);
            return null;
        });
        String database = session.database();
        if (ddl instanceof DdlStatement.DropDatabase d && database != null && d.name().equalsIgnoreCase(database)) {
            session.environment().setDatabase(null);
        }
    }

    /** ADD INDEX online: the index is added as building, filled in batches, then made readable ({@link IndexBuild}). */
    private void buildIndex(DdlStatement.Name table, DdlStatement.IndexSpec spec) {
        IndexDefinition index = inDdlTransaction(x -> x.startIndexBuild(table, spec));
        String db = table.database() != null ? table.database() : session.database();
        SqlEngine engine = session.engine();
        try {
            new IndexBuild(engine.node(), engine.store(), db, table.name(), index, session.cancelFlag(), session::setStage).run();
        } finally {
            session.setStage(null);
        }
    }

    /** Runs {@code action} in a DDL transaction of its own, again against the new catalog when a concurrent DDL won. */
    private <T> T inDdlTransaction(Function<DdlExecutor, T> action) {
        SqlEngine engine = session.engine();
        WriteConflictException last = null;
        for (int attempt = 0; attempt < DDL_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                pauseBeforeDdlRetry(attempt);
            }
            Transaction t = engine.node().begin(Isolation.REPEATABLE_READ);
            try {
                Catalog catalog = engine.store().load(t);
                List<SqlException> notes = new ArrayList<>();
                T result = action.apply(new DdlExecutor(t, catalog, engine.store(), session.database(), notes::add,
                        view -> validateView(view, catalog, t)));
                SessionTransaction.commit(t);
                notes.forEach(session.diagnostics()::note);
                return result;
            } catch (WriteConflictException e) {
                last = e; // a concurrent DDL committed first: run again against the new catalog
            } finally {
                t.rollback();
            }
        }
        throw last;
    }

    /**
     * Concurrent DDL all write the same catalog rows, so each round has one winner; a growing,
     * jittered pause spreads the losers out so that they do not collide again as a pack (about
     * 2 s over all attempts at most). (The TN answers a loser only once its winner is in the log,
     * so the retry's snapshot already sees it.)
     */
    private static void pauseBeforeDdlRetry(int attempt) {
        long bound = Math.min(200, 1L << Math.min(attempt + 1, 8));
        try {
            Thread.sleep(1 + ThreadLocalRandom.current().nextLong(bound));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlException(MysqlError.QUERY_INTERRUPTED);
        }
    }

    /**
     * Compiles a new view's query, which also checks that its creator may read what it reads (CREATE
     * VIEW needs SELECT on it, as in MySQL).
     */
    private void validateView(TableDefinition view, Catalog catalog, Transaction t) {
        SchemaPlus schema = CatalogSchemas.build(catalog, false);
        SessionEnvironment environment = session.environment();
        session.privileges().checkAccess(session.engine().compiler().compile(environment.parseView(view), catalog, schema,
                view.database(), environment::parseView, false).access(), t);
    }
}
