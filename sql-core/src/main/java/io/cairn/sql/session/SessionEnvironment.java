package io.cairn.sql.session;

import io.cairn.data.Isolation;
import io.cairn.mysql.ClientTraffic;
import io.cairn.mysql.SessionInfo;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.Hosts;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.frontend.CalciteText;
import io.cairn.sql.frontend.Lexer;
import io.cairn.sql.frontend.SessionContext;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.plan.SqlParsing;
import io.cairn.sql.codec.Temporals;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlNode;

/**
 * What a statement sees of its session, as the {@link SessionContext} the front end shapes and renders
 * statements with: the client and the account it logged in as, the system and user variables, the
 * current database and the running statement's start (NOW() and its kin hold one value per statement).
 * There is no character set to keep: utf8mb4 is the only one spoken (SET NAMES is accepted and ignored).
 *
 * <p>Threading: the session's command task only.
 */
final class SessionEnvironment implements SessionContext {
    /** CLIENT_FOUND_ROWS capability bit. */
    private static final int CLIENT_FOUND_ROWS = 2;
    /** The capability flag of clients that are interactive (the mysql CLI): wait_timeout starts from interactive_timeout. */
    private static final int CLIENT_INTERACTIVE = 1 << 10;

    private final SessionInfo info;
    /** The account the client logged in as ({@code CURRENT_USER()}). */
    private final Account account;
    /** The client's host as messages name it ({@code localhost} or its IP address). */
    private final String clientHost;
    private final SessionVariables variables;
    private final Map<String, Object> userVariables = new HashMap<>();
    /** Where @@autocommit and the isolation level are read. */
    private final SessionTransaction transaction;
    /** Where LAST_INSERT_ID(), ROW_COUNT(), FOUND_ROWS() and @@warning_count are read. */
    private final Diagnostics diagnostics;
    private String database;
    private LocalDateTime statementStart = LocalDateTime.now(ZoneOffset.UTC);

    SessionEnvironment(SessionInfo info, Account account, SessionVariables variables, SessionTransaction transaction,
            Diagnostics diagnostics) {
        this.info = info;
        this.account = account;
        this.clientHost = Hosts.clientHost(info.remoteAddress());
        this.variables = variables;
        this.transaction = transaction;
        this.diagnostics = diagnostics;
        if ((info.clientCapabilities() & CLIENT_INTERACTIVE) != 0) {
            // MySQL: an interactive client's session wait_timeout starts from the global interactive_timeout
            variables.set("wait_timeout", variables.get("global.interactive_timeout"));
        }
    }

    long connectionId() {
        return info.connectionId();
    }

    /** The user name the client gave (messages name it with {@link #clientHost()}). */
    String user() {
        return info.user();
    }

    /** The account the session logged in as. */
    Account account() {
        return account;
    }

    /** The client's host for messages and SHOW PROCESSLIST. */
    String clientHost() {
        return clientHost;
    }

    /** Whether the client's own connection uses TLS (to this port, or to the proxy that logged in for it). */
    boolean secure() {
        return info.secure();
    }

    /** The bytes this session's connection exchanged with its client; {@code server()}: its MySQL server's. */
    ClientTraffic traffic() {
        return info.traffic();
    }

    /** Whether a proxy logged in for this session's client. */
    boolean viaProxy() {
        return info.proxy() != null;
    }

    /** Whether affected-row counts report matched rather than changed rows (CLIENT_FOUND_ROWS). */
    boolean clientFoundRows() {
        return (info.clientCapabilities() & CLIENT_FOUND_ROWS) != 0;
    }

    SessionVariables variables() {
        return variables;
    }

    Map<String, Object> userVariables() {
        return userVariables;
    }

    /** The current database, or null. */
    String database() {
        return database;
    }

    void setDatabase(String database) {
        this.database = database;
    }

    /** A statement starts: NOW() and its kin return this second (NOW(6): this microsecond) until the next one. */
    void startStatement() {
        statementStart = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** The statement's start to the microsecond (DEFAULT CURRENT_TIMESTAMP cuts it to its column's digits). */
    LocalDateTime statementStart() {
        return statementStart;
    }

    /** The session's wait_timeout (the constructor starts it from interactive_timeout for interactive clients). */
    Duration idleTimeout() {
        Object v = variables.get("wait_timeout");
        return Duration.ofSeconds(((Number) v).longValue());
    }

    /** The query of {@code view}, parsed as this session renders it. */
    SqlNode parseView(TableDefinition view) {
        List<Token> tokens = Lexer.tokenize(view.viewSql());
        return SqlParsing.parse(CalciteText.render(tokens, 0, tokens.size(), this));
    }

    // ------------------------------------------------------------------ SessionContext

    @Override
    public Object systemVariable(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String base = n.contains(".") ? n.substring(n.indexOf('.') + 1) : n;
        switch (base) {
            case "autocommit":
                return transaction.autocommit() ? 1L : 0L;
            case "transaction_isolation", "tx_isolation":
                return transaction.isolation() == Isolation.READ_COMMITTED ? "READ-COMMITTED" : "REPEATABLE-READ";
            case "last_insert_id", "identity":
                return diagnostics.lastInsertId();
            case "warning_count":
                return (long) diagnostics.warningCount();
            case "pseudo_thread_id":
                return info.connectionId();
            default:
                return variables.get(n);
        }
    }

    @Override
    public Object userVariable(String name) {
        return userVariables.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public Object sessionFunction(String upperName) {
        switch (upperName) {
            case "DATABASE", "SCHEMA":
                return database;
            case "VERSION":
                return SessionVariables.VERSION;
            case "LAST_INSERT_ID":
                return diagnostics.lastInsertId();
            case "ROW_COUNT":
                return diagnostics.rowCount();
            case "FOUND_ROWS":
                return diagnostics.foundRows();
            case "CONNECTION_ID":
                return info.connectionId();
            case "USER", "SESSION_USER", "SYSTEM_USER":
                return info.user() + "@" + clientHost;
            case "CURRENT_USER":
                return account.user() + "@" + account.host();
            case "NOW", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "SYSDATE", "UTC_TIMESTAMP",
                    "CURTIME", "CURRENT_TIME", "UTC_TIME":
                return sessionFunction(upperName, 0);
            case "CURDATE", "CURRENT_DATE", "UTC_DATE":
                return statementStart.toLocalDate();
            default:
                return NOT_A_SESSION_FUNCTION;
        }
    }

    @Override
    public Object sessionFunction(String upperName, int fsp) {
        LocalDateTime t = Temporals.truncate(statementStart, fsp);
        return switch (upperName) {
            case "NOW", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "SYSDATE", "UTC_TIMESTAMP" -> t;
            case "CURTIME", "CURRENT_TIME", "UTC_TIME" -> t.toLocalTime();
            default -> NOT_A_SESSION_FUNCTION;
        };
    }
}
