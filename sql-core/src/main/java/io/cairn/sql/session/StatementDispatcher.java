package io.cairn.sql.session;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.exec.DmlExecutor;
import io.cairn.sql.frontend.InsertRewriter;
import io.cairn.sql.frontend.Lexer;
import io.cairn.sql.frontend.ShapedText;
import io.cairn.sql.frontend.StatementShaper;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * Which statement kind goes where: classifies each statement by its first keywords and hands it on:
 * queries to {@link SessionQueries}, DML ({@link DmlExecutor}) and transaction control to
 * {@link SessionTransaction}, DDL to {@link DdlStatements}, session and admin statements to
 * {@link SessionStatements}, {@link ShowStatements}, {@link AccountStatements}, {@link XaStatements},
 * {@link InstanceStatements} and {@link ChecksumStatements}. Around each statement it keeps MySQL's diagnostics
 * rules ({@link Diagnostics}) and, while the account's password is expired, refuses what may not run.
 *
 * <p>Threading: the session's command task only.
 */
final class StatementDispatcher {
    private final Session session;
    /** The password expired: only ALTER USER / SET PASSWORD / SET run until it is changed (1820). */
    private boolean sandbox;

    StatementDispatcher(Session session, boolean passwordExpired) {
        this.session = session;
        this.sandbox = passwordExpired;
    }

    /** Leaves the expired-password sandbox (the session's own password was changed). */
    void passwordChanged() {
        sandbox = false;
    }

    /** The statements of a multi-statement text: split at its {@code ;} tokens (not those inside strings). */
    static List<String> splitStatements(String sql) {
        if (sql.indexOf(';') < 0) {
            return List.of(sql);
        }
        List<Token> tokens = Lexer.tokenize(sql);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (Token t : tokens) {
            if (t.isSymbol(";")) {
                String s = sql.substring(start, t.start());
                if (!s.isBlank()) {
                    out.add(s);
                }
                start = t.end();
            }
        }
        String rest = sql.substring(start);
        if (!rest.isBlank() || out.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    /** Runs one statement given as its text (for messages) and its tokens. */
    QueryResult run(String sql, List<Token> tokens) {
        SessionEnvironment environment = session.environment();
        SessionTransaction transaction = session.transaction();
        Diagnostics diagnostics = session.diagnostics();
        environment.startStatement();
        TokenCursor c = new TokenCursor(sql, tokens);
        if (c.atEnd()) {
            throw new SqlException(MysqlError.EMPTY_QUERY);
        }
        Token first = c.peek();
        String kw = first.keyword();
        if (!kw.equals("SHOW") && !Diagnostics.readsDiagnostics(tokens)) {
            diagnostics.clearWarnings();
        }
        if (first.isSymbol("(")) {
            kw = "SELECT";
        }
        boolean setPassword = kw.equals("SET") && c.peek(1) != null && c.peek(1).is("PASSWORD");
        if (sandbox && !setPassword && !kw.equals("SET") && !(kw.equals("ALTER") && c.peek(1) != null && c.peek(1).is("USER"))) {
            throw new SqlException(MysqlError.MUST_CHANGE_PASSWORD);
        }
        QueryResult result;
        switch (setPassword ? "PASSWORD" : kw) {
            case "SELECT", "WITH", "VALUES", "TABLE" -> result = session.queries().run(c);
            case "INSERT", "REPLACE" -> {
                transaction.checkWritable();
                InsertRewriter.Insert ins = InsertRewriter.rewrite(tokens, c.end(), environment);
                result = transaction.dml(() -> DmlExecutor.insert(ins, transaction.statementEnv()));
            }
            case "UPDATE" -> {
                transaction.checkWritable();
                ShapedText text = StatementShaper.shape(tokens, 0, c.end(), environment);
                result = transaction.dml(() -> DmlExecutor.update(text, transaction.statementEnv()));
            }
            case "DELETE" -> {
                transaction.checkWritable();
                ShapedText text = StatementShaper.shape(tokens, 0, c.end(), environment);
                result = transaction.dml(() -> DmlExecutor.delete(text, transaction.statementEnv()));
            }
            case "SET" -> result = new SessionStatements(session).set(c);
            case "PASSWORD" -> {
                transaction.commitImplicitly();
                result = new AccountStatements(session).run(c);
            }
            case "SHOW" -> result = new ShowStatements(session).show(c);
            case "DESC", "DESCRIBE", "EXPLAIN" -> result = new ShowStatements(session).describe(c);
            case "USE" -> {
                c.next();
                session.use(c.identifier());
                result = QueryResult.ok();
            }
            case "XA" -> result = new XaStatements(transaction).run(c);
            case "BEGIN", "START" -> result = transaction.begin(c);
            case "COMMIT" -> {
                transaction.checkNoXa();
                transaction.commit();
                result = QueryResult.ok();
            }
            case "ROLLBACK" -> result = transaction.rollback(c);
            case "SAVEPOINT" -> result = transaction.savepoint(c);
            case "RELEASE" -> result = transaction.releaseSavepoint(c);
            case "CREATE", "DROP", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "RENAME" -> result = ddlOrAccount(c);
            case "KILL" -> result = new SessionStatements(session).kill(c);
            case "DO" -> {
                c.next();
                session.queries().evaluate(tokens, c.position(), c.end());
                result = QueryResult.ok();
            }
            case "CHECKSUM" -> result = new ChecksumStatements(session).checksum(c);
            case "FLUSH", "ANALYZE", "OPTIMIZE", "LOCK", "UNLOCK", "CHECK", "REPAIR", "RESET" ->
                    result = QueryResult.ok();
            default -> throw c.error();
        }
        return diagnostics.completed(result);
    }

    /** CREATE, DROP, ALTER, TRUNCATE, GRANT, REVOKE, RENAME: account statements, ALTER INSTANCE or DDL. */
    private QueryResult ddlOrAccount(TokenCursor c) {
        Token second = c.peek(1);
        String k2 = second == null ? "" : second.keyword();
        String k0 = c.peek().keyword();
        if (k0.equals("GRANT") || k0.equals("REVOKE") || k2.equals("USER") || k2.equals("ROLE")) {
            session.transaction().commitImplicitly();
            return new AccountStatements(session).run(c);
        }
        if (k0.equals("RENAME")) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "RENAME TABLE");
        }
        if (k0.equals("ALTER") && k2.equals("INSTANCE")) {
            return new InstanceStatements(session).alter(c);
        }
        return new DdlStatements(session).run(c);
    }
}
