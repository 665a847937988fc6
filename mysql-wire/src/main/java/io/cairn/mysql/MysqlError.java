package io.cairn.mysql;

/**
 * The registry of MySQL error codes Cairn sends to clients (CONVENTIONS #9): one place that fixes the code,
 * the SQLSTATE and the message template of each error, for the wire layer, the SQL layer and the proxy
 * alike. Engines raise errors with {@link MysqlException#of(MysqlError, Object...)} (the SQL layer with its
 * unchecked {@code SqlException}, mapped once by its session); the wire layer writes them as ERR packets
 * unchanged. Templates follow MySQL's own messages.
 *
 * <p>{@link #retryable()} marks the errors after which a client may retry the whole transaction.
 */
public enum MysqlError {
    CON_COUNT(1040, "08004", "Too many connections", false),
    TOO_MANY_USER_CONNECTIONS(1203, "42000", "User %s already has more than 'max_user_connections' active connections", false),
    USER_LIMIT_REACHED(1226, "42000", "User '%s' has exceeded the '%s' resource (current value: %d)", false),
    SECURE_TRANSPORT_REQUIRED(3159, "HY000",
            "Connections using insecure transport are prohibited while --require_secure_transport=ON.", false),
    NO_SECURE_TRANSPORTS_CONFIGURED(3160, "HY000",
            "No secure transports (SSL or Shared Memory) are configured, unable to set --require_secure_transport=ON.", false),
    // Sent unasked to a session idle longer than wait_timeout / interactive_timeout (MySQL 8.0.24+), then it is closed.
    CLIENT_INTERACTION_TIMEOUT(4031, "HY000", "The client was disconnected by the server because of inactivity.", false),
    ACCESS_DENIED(1045, "28000", "Access denied for user '%s'@'%s' (using password: %s)", false),
    DB_ACCESS_DENIED(1044, "42000", "Access denied for user '%s'@'%s' to database '%s'", false),
    NO_DB(1046, "3D000", "No database selected", false),
    UNKNOWN_COM(1047, "08S01", "Unknown command", false),
    BAD_DB(1049, "42000", "Unknown database '%s'", false),
    BAD_FIELD(1054, "42S22", "Unknown column '%s' in '%s'", false),
    DUP_ENTRY(1062, "23000", "Duplicate entry '%s' for key '%s'", false),
    PARSE(1064, "42000", "You have an error in your SQL syntax; check the manual that corresponds to your "
            + "MySQL server version for the right syntax to use near '%s' at line %d", false),
    EMPTY_QUERY(1065, "42000", "Query was empty", false),
    UNKNOWN_THREAD(1094, "HY000", "Unknown thread id: %s", false),
    UNKNOWN_ERROR(1105, "HY000", "%s", false),
    NO_SUCH_TABLE(1146, "42S02", "Table '%s.%s' doesn't exist", false),
    NET_PACKET_TOO_LARGE(1153, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes", false),
    NET_PACKETS_OUT_OF_ORDER(1156, "08S01", "Got packets out of order", false),
    LOCK_WAIT_TIMEOUT(1205, "HY000", "Lock wait timeout exceeded; try restarting transaction", true),
    TABLE_DEF_CHANGED(1412, "HY000", "Table definition has changed, please retry transaction", true),
    LOCK_DEADLOCK(1213, "40001", "Deadlock found when trying to get lock; try restarting transaction", true),
    LOCK_NOWAIT(3572, "HY000", "Statement aborted because lock(s) could not be acquired immediately and NOWAIT is set.", true),
    QUERY_INTERRUPTED(1317, "70100", "Query execution was interrupted", false),
    // MySQL names max_binlog_cache_size here; Cairn's bound is the write set a commit sends (TiDB: "transaction too large").
    TRANS_CACHE_FULL(1197, "HY000", "Transaction required more than 'cairn.txn.max-size' bytes of storage (%d): transaction"
            + " too large; commit it in smaller transactions or increase this server setting and try again", false),
    // MySQL's sort buffer; Cairn's bound is the memory one statement's sorts and groupings may hold.
    OUT_OF_SORTMEMORY(1038, "HY001", "Out of sort memory, consider increasing server sort buffer size"
            + " ('cairn.sql.max-operator-memory', %d bytes)", false),
    // COM_STMT_FETCH of a statement without an open cursor
    STMT_HAS_NO_OPEN_CURSOR(1421, "HY000", "The statement (%s) has no open cursor.", false),
    UNKNOWN_STMT_HANDLER(1243, "HY000", "Unknown prepared statement handler (%s) given to %s", false),
    WRONG_ARGUMENTS(1210, "HY000", "Incorrect arguments to %s", false),
    NOT_SUPPORTED_YET(1235, "42000", "This version of MySQL doesn't yet support '%s'", false),
    MAX_PREPARED_STMT_COUNT(1461, "42000",
            "Can't create more than max_prepared_stmt_count statements (current value: %s)", false),
    MALFORMED_PACKET(1835, "HY000", "Malformed communication packet.", false),
    PS_MANY_PARAM(1390, "HY000", "Prepared statement contains too many placeholders", false),
    TOO_MANY_FIELDS(1117, "HY000", "Too many columns", false),
    // MySQL's answer to an execute whose COM_STMT_SEND_LONG_DATA went past max_allowed_packet
    LONG_DATA_TOO_LONG(1105, "HY000", "Parameter of prepared statement which is set through "
            + "mysql_send_long_data() is longer than 'max_allowed_packet' bytes", false),
    QUERY_TIMEOUT(3024, "HY000",
            "Query execution was interrupted, maximum statement execution time exceeded", false),
    // Raised by the SQL layer.
    SPECIFIC_ACCESS_DENIED(1227, "42000", "Access denied; you need (at least one of) the %s privilege(s) for this operation", false),
    BAD_NULL(1048, "23000", "Column '%s' cannot be null", false),
    TABLE_EXISTS(1050, "42S01", "Table '%s' already exists", false),
    BAD_TABLE(1051, "42S02", "Unknown table '%s'", false),
    DUP_FIELDNAME(1060, "42S21", "Duplicate column name '%s'", false),
    DUP_KEYNAME(1061, "42000", "Duplicate key name '%s'", false),
    MULTIPLE_PRI_KEY(1068, "42000", "Multiple primary key defined", false),
    CANT_DROP_FIELD_OR_KEY(1091, "42000", "Can't DROP '%s'; check that column/key exists", false),
    WRONG_VALUE_COUNT_ON_ROW(1136, "21S01", "Column count doesn't match value count at row %d", false),
    TABLE_ACCESS_DENIED(1142, "42000", "%s command denied to user '%s'@'%s' for table '%s'", false),
    UNKNOWN_SYSTEM_VARIABLE(1193, "HY000", "Unknown system variable '%s'", false),
    READ_ONLY_VARIABLE(1238, "HY000", "Variable '%s' is a read only variable", false),
    OPTION_PREVENTS_STATEMENT(1290, "HY000", "The MySQL server is running with the %s option so it cannot execute this statement", false),
    CANT_EXECUTE_IN_READ_ONLY_TRANSACTION(1792, "25006", "Cannot execute statement in a READ ONLY transaction.", false),
    WRONG_VALUE_FOR_VAR(1231, "42000", "Variable '%s' can't be set to the value of '%s'", false),
    GLOBAL_VARIABLE(1229, "HY000", "Variable '%s' is a GLOBAL variable and should be set with SET GLOBAL", false),
    SSL_LIBRARY_ERROR(3888, "HY000", "Failed to set up SSL because of the following SSL library error: %s", false),
    WRONG_TYPE_FOR_VAR(1232, "42000", "Incorrect argument type to variable '%s'", false),
    OPERAND_COLUMNS(1241, "21000", "Operand should contain %d column(s)", false),
    SUBQUERY_NO_1_ROW(1242, "21000", "Subquery returns more than 1 row", false),
    TRUNCATED_WRONG_VALUE(1292, "22007", "Truncated incorrect %s value: '%s'", false),
    NO_DEFAULT_FOR_FIELD(1364, "HY000", "Field '%s' doesn't have a default value", false),
    DIVISION_BY_ZERO(1365, "22012", "Division by 0", false),
    TRUNCATED_WRONG_VALUE_FOR_FIELD(1366, "HY000", "Incorrect %s value: '%s' for column '%s' at row %d", false),
    /** The second argument is the account, quoted: {@code 'bob'@'%'}. */
    CANNOT_USER(1396, "HY000", "Operation %s failed for %s", false),
    /** A fractional-seconds precision above 6: NOW(7), DATETIME(7). */
    TOO_BIG_PRECISION(1426, "42000", "Too-big precision %d specified for '%s'. Maximum is 6.", false),
    INVALID_ON_UPDATE(1294, "HY000", "Invalid ON UPDATE clause for '%s' column", false),
    UPDATE_TABLE_USED(1093, "HY000", "You can't specify target table '%s' for update in FROM clause", false),
    DATA_TOO_LONG(1406, "22001", "Data too long for column '%s' at row %d", false),
    NONEXISTING_GRANT(1141, "42000", "There is no such grant defined for user '%s' on host '%s'", false),
    NONEXISTING_TABLE_GRANT(1147, "42000", "There is no such grant defined for user '%s' on host '%s' on table '%s'", false),
    COLUMN_ACCESS_DENIED(1143, "42000", "%s command denied to user '%s'@'%s' for column '%s' in table '%s'", false),
    ILLEGAL_GRANT_FOR_TABLE(1144, "42000",
            "Illegal GRANT/REVOKE command; please consult the manual to see which privileges can be used", false),
    WRONG_USAGE(1221, "HY000", "Incorrect usage of %s and %s", false),
    KILL_DENIED(1095, "HY000", "You are not owner of thread %s", false),
    PASSWORD_NO_MATCH(1133, "42000", "Can't find any matching row in the user table", false),
    VIEW_INVALID(1356, "HY000", "View '%s.%s' references invalid table(s) or column(s) or function(s) or "
            + "definer/invoker of view lack rights to use them", false),
    VIEW_OTHER_USER(1448, "HY000", "You need the SUPER privilege for creation view with '%s'@'%s' definer", false),
    NO_SUCH_USER(1449, "HY000", "The user specified as a definer ('%s'@'%s') does not exist", false),
    CANT_CREATE_USER_WITH_GRANT(1410, "42000", "You are not allowed to create a user with GRANT", false),
    PLUGIN_IS_NOT_LOADED(1524, "HY000", "Plugin '%s' is not loaded", false),
    MUST_CHANGE_PASSWORD(1820, "HY000",
            "You must reset your password using ALTER USER statement before executing this statement.", false),
    MUST_CHANGE_PASSWORD_LOGIN(1862, "HY000",
            "Your password has expired. To log in you must change it using a client that supports expired passwords.",
            false),
    ACCOUNT_HAS_BEEN_LOCKED(3118, "HY000", "Access denied for user '%s'@'%s'. Account is locked.", false),
    ACCOUNT_BLOCKED_BY_PASSWORD_LOCK(3955, "HY000", "Access denied for user '%s'@'%s'. Account is blocked for %s day(s)"
            + " (%s day(s) remaining) due to %s consecutive failed logins.", false),
    DB_CREATE_EXISTS(1007, "HY000", "Can't create database '%s'; database exists", false),
    DB_DROP_EXISTS(1008, "HY000", "Can't drop database '%s'; database doesn't exist", false),
    WRONG_OBJECT(1347, "HY000", "'%s.%s' is not %s", false),
    VIEW_EXISTS(1050, "42S01", "Table '%s' already exists", false),
    DATA_OUT_OF_RANGE(1264, "22003", "Out of range value for column '%s' at row %d", false),
    NUMERIC_OUT_OF_RANGE(1690, "22003", "%s value is out of range in '%s'", false),
    KEY_DOES_NOT_EXIST(1176, "42000", "Key '%s' doesn't exist in table '%s'", false),
    UNKNOWN_STORAGE_ENGINE(1286, "42000", "Unknown storage engine '%s'", false),
    INVALID_GROUP_FUNC_USE(1111, "HY000", "Invalid use of group function", false),
    WRONG_FIELD_WITH_GROUP(1055, "42000", "Expression #%d of SELECT list is not in GROUP BY clause", false),
    NON_UNIQ_TABLE(1066, "42000", "Not unique table/alias: '%s'", false),
    NON_UNIQ_ERROR(1052, "23000", "Column '%s' in %s is ambiguous", false),
    SP_DOES_NOT_EXIST(1305, "42000", "FUNCTION %s does not exist", false),
    SAVEPOINT_DOES_NOT_EXIST(1305, "42000", "SAVEPOINT %s does not exist", false),
    // XA transactions (one-phase commit only)
    XAER_NOTA(1397, "XAE04", "XAER_NOTA: Unknown XID", false),
    XAER_INVAL(1398, "XAE05", "XAER_INVAL: Invalid arguments (or unsupported command)", false),
    XAER_RMFAIL(1399, "XAE07", "XAER_RMFAIL: The command cannot be executed when global transaction is in the  %s state", false),
    XAER_OUTSIDE(1400, "XAE09", "XAER_OUTSIDE: Some work is done outside global transaction", false),
    XA_RBDEADLOCK(1614, "XA102", "XA_RBDEADLOCK: Transaction branch was rolled back: deadlock was detected", true),
    // The CN could not reach its data in time (apply lag, no TN): a lock wait timeout, so that clients retry.
    DATA_UNAVAILABLE(1205, "HY000", "Lock wait timeout exceeded; try restarting transaction", true),
    // Sent by the proxy, for a session whose compute node it cannot reach.
    NO_COMPUTE_NODE(1105, "HY000", "No compute node of group '%s' is available", true),
    CN_LOST_TRANSACTION(1213, "40001",
            "The compute node of this session failed; the transaction was rolled back, retry it", true),
    // 1105, not 2013 (CR_SERVER_LOST): 2000-2999 are client codes, and libmariadb (sysbench, the mariadb CLI) reports a
    // server's ERR packet carrying one as 2027 "Received malformed packet"; the connection itself is fine
    CN_LOST_COMMIT(1105, "HY000", "Lost connection to the compute node while the transaction was ending; it may or "
            + "may not have been committed: read back before running it again", false),
    CN_LOST_STATEMENT(1105, "HY000",
            "Lost connection to the compute node during the statement; it may or may not have taken effect", false),
    SESSION_NOT_MOVABLE(1105, "HY000", "The session could not be moved to another compute node: %s", false),
    // Sent by a proxy that is stopping, before it closes a client connection.
    SERVER_SHUTDOWN(1053, "08S01", "Server shutdown in progress", false);

    private final int code;
    private final String sqlState;
    private final String template;
    private final boolean retryable;

    MysqlError(int code, String sqlState, String template, boolean retryable) {
        this.code = code;
        this.sqlState = sqlState;
        this.template = template;
        this.retryable = retryable;
    }

    /** The MySQL error number, e.g. 1062. */
    public int code() {
        return code;
    }

    /** The five-character SQLSTATE, e.g. "23000". */
    public String sqlState() {
        return sqlState;
    }

    /** The {@link String#format} template of the message. */
    public String template() {
        return template;
    }

    /** True when the client may retry the transaction after this error (deadlock, lock wait timeout). */
    public boolean retryable() {
        return retryable;
    }
}
