package io.cairn.sql;

/**
 * The registry of the MySQL errors the SQL layer raises (CONVENTIONS #9): code, SQLSTATE and message
 * template in one place. Internal code throws {@link SqlException}; the session maps it, and every
 * other internal exception, to a client error once, in {@link io.cairn.sql.session.ErrorMapper}.
 *
 * <p>It complements {@code io.cairn.mysql.MysqlError} (the wire layer's registry), which lacks most
 * of the SQL codes; where both have a code they agree.
 */
public enum SqlError {
    DB_ACCESS_DENIED(1044, "42000", "Access denied for user '%s'@'%s' to database '%s'"),
    SPECIFIC_ACCESS_DENIED(1227, "42000", "Access denied; you need (at least one of) the %s privilege(s) for this operation"),
    NO_DB(1046, "3D000", "No database selected"),
    BAD_NULL(1048, "23000", "Column '%s' cannot be null"),
    BAD_DB(1049, "42000", "Unknown database '%s'"),
    TABLE_EXISTS(1050, "42S01", "Table '%s' already exists"),
    BAD_TABLE(1051, "42S02", "Unknown table '%s'"),
    BAD_FIELD(1054, "42S22", "Unknown column '%s' in '%s'"),
    DUP_FIELDNAME(1060, "42S21", "Duplicate column name '%s'"),
    DUP_KEYNAME(1061, "42000", "Duplicate key name '%s'"),
    DUP_ENTRY(1062, "23000", "Duplicate entry '%s' for key '%s'"),
    PARSE(1064, "42000", "You have an error in your SQL syntax; check the manual that corresponds to your "
            + "MySQL server version for the right syntax to use near '%s' at line %d"),
    EMPTY_QUERY(1065, "42000", "Query was empty"),
    MULTIPLE_PRI_KEY(1068, "42000", "Multiple primary key defined"),
    CANT_DROP_FIELD_OR_KEY(1091, "42000", "Can't DROP '%s'; check that column/key exists"),
    UNKNOWN_THREAD(1094, "HY000", "Unknown thread id: %s"),
    UNKNOWN_ERROR(1105, "HY000", "%s"),
    WRONG_VALUE_COUNT_ON_ROW(1136, "21S01", "Column count doesn't match value count at row %d"),
    TABLE_ACCESS_DENIED(1142, "42000", "%s command denied to user '%s'@'%s' for table '%s'"),
    NO_SUCH_TABLE(1146, "42S02", "Table '%s.%s' doesn't exist"),
    UNKNOWN_SYSTEM_VARIABLE(1193, "HY000", "Unknown system variable '%s'"),
    LOCK_WAIT_TIMEOUT(1205, "HY000", "Lock wait timeout exceeded; try restarting transaction"),
    LOCK_DEADLOCK(1213, "40001", "Deadlock found when trying to get lock; try restarting transaction"),
    CANT_EXECUTE_IN_READ_ONLY_TRANSACTION(1792, "25006", "Cannot execute statement in a READ ONLY transaction."),
    WRONG_VALUE_FOR_VAR(1231, "42000", "Variable '%s' can't be set to the value of '%s'"),
    NOT_SUPPORTED_YET(1235, "42000", "This version of MySQL doesn't yet support '%s'"),
    OPERAND_COLUMNS(1241, "21000", "Operand should contain %d column(s)"),
    SUBQUERY_NO_1_ROW(1242, "21000", "Subquery returns more than 1 row"),
    UNKNOWN_STMT_HANDLER(1243, "HY000", "Unknown prepared statement handler (%s) given to %s"),
    TRUNCATED_WRONG_VALUE(1292, "22007", "Truncated incorrect %s value: '%s'"),
    QUERY_INTERRUPTED(1317, "70100", "Query execution was interrupted"),
    NO_DEFAULT_FOR_FIELD(1364, "HY000", "Field '%s' doesn't have a default value"),
    DIVISION_BY_ZERO(1365, "22012", "Division by 0"),
    TRUNCATED_WRONG_VALUE_FOR_FIELD(1366, "HY000", "Incorrect %s value: '%s' for column '%s' at row %d"),
    CANNOT_USER(1396, "HY000", "Operation %s failed for '%s'@'%%'"),
    DATA_TOO_LONG(1406, "22001", "Data too long for column '%s' at row %d"),
    NONEXISTING_GRANT(1141, "42000", "There is no such grant defined for user '%s' on host '%%'"),
    DB_CREATE_EXISTS(1007, "HY000", "Can't create database '%s'; database exists"),
    DB_DROP_EXISTS(1008, "HY000", "Can't drop database '%s'; database doesn't exist"),
    WRONG_OBJECT(1347, "HY000", "'%s.%s' is not %s"),
    VIEW_EXISTS(1050, "42S01", "Table '%s' already exists"),
    DATA_OUT_OF_RANGE(1264, "22003", "Out of range value for column '%s' at row %d"),
    NUMERIC_OUT_OF_RANGE(1690, "22003", "%s value is out of range in '%s'"),
    QUERY_TIMEOUT(3024, "HY000", "Query execution was interrupted, maximum statement execution time exceeded"),
    KEY_DOES_NOT_EXIST(1176, "42000", "Key '%s' doesn't exist in table '%s'"),
    WRONG_ARGUMENTS(1210, "HY000", "Incorrect arguments to %s"),
    UNKNOWN_STORAGE_ENGINE(1286, "42000", "Unknown storage engine '%s'"),
    INVALID_GROUP_FUNC_USE(1111, "HY000", "Invalid use of group function"),
    WRONG_FIELD_WITH_GROUP(1055, "42000", "Expression #%d of SELECT list is not in GROUP BY clause"),
    NON_UNIQ_TABLE(1066, "42000", "Not unique table/alias: '%s'"),
    NON_UNIQ_ERROR(1052, "23000", "Column '%s' in %s is ambiguous"),
    SP_DOES_NOT_EXIST(1305, "42000", "FUNCTION %s does not exist"),
    DATA_UNAVAILABLE(1205, "HY000", "Lock wait timeout exceeded; try restarting transaction");

    private final int code;
    private final String sqlState;
    private final String template;

    SqlError(int code, String sqlState, String template) {
        this.code = code;
        this.sqlState = sqlState;
        this.template = template;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    public String template() {
        return template;
    }

    /** Whether a client may retry its transaction after this error. */
    public boolean retryable() {
        return this == LOCK_DEADLOCK || this == LOCK_WAIT_TIMEOUT || this == DATA_UNAVAILABLE;
    }
}
