package io.cairn.mysql;

/**
 * The registry of MySQL error codes Cairn sends to clients (CONVENTIONS #9): one place that fixes the code,
 * the SQLSTATE and the message template of each error. Engines raise errors with
 * {@link MysqlException#of(MysqlError, Object...)}; the wire layer writes them as ERR packets unchanged.
 *
 * <p>{@link #retryable()} marks the errors after which a client may retry the whole transaction.
 */
public enum MysqlError {
    CON_COUNT(1040, "08004", "Too many connections", false),
    ACCESS_DENIED(1045, "28000", "Access denied for user '%s'@'%s' (using password: %s)", false),
    DB_ACCESS_DENIED(1044, "42000", "Access denied for user '%s'@'%s' to database '%s'", false),
    NO_DB(1046, "3D000", "No database selected", false),
    UNKNOWN_COM(1047, "08S01", "Unknown command", false),
    BAD_DB(1049, "42000", "Unknown database '%s'", false),
    BAD_FIELD(1054, "42S22", "Unknown column '%s' in '%s'", false),
    DUP_ENTRY(1062, "23000", "Duplicate entry '%s' for key '%s'", false),
    PARSE(1064, "42000", "You have an error in your SQL syntax; %s", false),
    EMPTY_QUERY(1065, "42000", "Query was empty", false),
    UNKNOWN_THREAD(1094, "HY000", "Unknown thread id: %s", false),
    UNKNOWN_ERROR(1105, "HY000", "%s", false),
    NO_SUCH_TABLE(1146, "42S02", "Table '%s' doesn't exist", false),
    NET_PACKET_TOO_LARGE(1153, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes", false),
    NET_PACKETS_OUT_OF_ORDER(1156, "08S01", "Got packets out of order", false),
    LOCK_WAIT_TIMEOUT(1205, "HY000", "Lock wait timeout exceeded; try restarting transaction", true),
    LOCK_DEADLOCK(1213, "40001", "Deadlock found when trying to get lock; try restarting transaction", true),
    QUERY_INTERRUPTED(1317, "70100", "Query execution was interrupted", false),
    UNKNOWN_STMT_HANDLER(1243, "HY000", "Unknown prepared statement handler (%s) given to %s", false),
    WRONG_ARGUMENTS(1210, "HY000", "Incorrect arguments to %s", false),
    NOT_SUPPORTED_YET(1235, "42000", "This version of MySQL doesn't yet support '%s'", false),
    MAX_PREPARED_STMT_COUNT(1461, "42000",
            "Can't create more than max_prepared_stmt_count statements (current value: %s)", false),
    MALFORMED_PACKET(1835, "HY000", "Malformed communication packet.", false),
    QUERY_TIMEOUT(3024, "HY000",
            "Query execution was interrupted, maximum statement execution time exceeded", false),
    // Sent by the proxy, for a session whose compute node it cannot reach.
    NO_COMPUTE_NODE(1105, "HY000", "No compute node of group '%s' is available", true),
    CN_LOST_TRANSACTION(1213, "40001",
            "The compute node of this session failed; the transaction was rolled back, retry it", true),
    CN_LOST_STATEMENT(2013, "HY000",
            "Lost connection to the compute node during the statement; it may or may not have taken effect", false),
    SESSION_NOT_MOVABLE(1105, "HY000", "The session could not be moved to another compute node: %s", false);

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
