package io.cairn.sql.session;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * System variables of one session, answered like MySQL 8.0 for the variables connectors and tools
 * ask for. A session starts from the global values: the defaults below, except those changed with
 * SET GLOBAL on this compute node ({@link GlobalVariables}; not shared with other compute nodes, not
 * kept across restarts) or, for the few that decide logins and idle sessions, in the cluster
 * ({@link ClusterVariables}). Names ignore case. Not thread-safe: one session.
 */
public final class SessionVariables {
    /** The version announced to clients and returned by VERSION(). */
    public static final String VERSION = "8.0.36-cairn";

    static final Map<String, Object> DEFAULTS = new TreeMap<>();

    static {
        Object[][] d = {
            {"auto_increment_increment", 1L}, {"auto_increment_offset", 1L}, {"autocommit", 1L},
            {"character_set_client", "utf8mb4"}, {"character_set_connection", "utf8mb4"},
            {"character_set_database", "utf8mb4"}, {"character_set_filesystem", "binary"},
            {"character_set_results", "utf8mb4"}, {"character_set_server", "utf8mb4"},
            {"character_set_system", "utf8mb3"}, {"collation_connection", "utf8mb4_0900_ai_ci"},
            {"collation_database", "utf8mb4_0900_ai_ci"}, {"collation_server", "utf8mb4_0900_ai_ci"},
            {"default_storage_engine", "InnoDB"}, {"div_precision_increment", 4L}, {"foreign_key_checks", 1L},
            {"have_ssl", "DISABLED"}, {"hostname", "cairn"}, {"init_connect", ""},
            {"innodb_lock_wait_timeout", 50L}, {"interactive_timeout", 28800L}, {"last_insert_id", 0L},
            {"license", "Apache-2.0"}, {"lower_case_table_names", 0L}, {"max_allowed_packet", 67108864L},
            {"max_execution_time", 0L}, {"net_buffer_length", 16384L}, {"net_read_timeout", 30L},
            {"net_write_timeout", 60L}, {"performance_schema", 0L}, {"port", 3306L}, {"protocol_version", 10L},
            {"query_cache_size", 0L}, {"query_cache_type", "OFF"}, {"server_id", 1L},
            {"session_track_schema", "ON"}, {"session_track_system_variables", ""},
            {"session_track_transaction_info", "OFF"}, {"sql_auto_is_null", 0L},
            {"sql_mode", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                    + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"},
            {"sql_require_primary_key", 0L}, {"sql_safe_updates", 0L}, {"sql_select_limit", -1L},
            {"sql_warnings", 0L}, {"system_time_zone", "UTC"}, {"time_zone", "SYSTEM"},
            {"transaction_isolation", "REPEATABLE-READ"}, {"transaction_read_only", 0L},
            {"tx_isolation", "REPEATABLE-READ"}, {"tx_read_only", 0L}, {"unique_checks", 1L},
            {"version", VERSION}, {"version_comment", "Cairn distributed SQL"},
            {"version_compile_machine", "x86_64"}, {"version_compile_os", "Linux"}, {"wait_timeout", 28800L},
            {"warning_count", 0L}, {"error_count", 0L}, {"identity", 0L}, {"max_connections", 1000L},
            {"datadir", "/var/lib/cairn/"}, {"basedir", "/"}, {"socket", ""}, {"skip_networking", 0L},
            {"ssl_cipher", ""}, {"explicit_defaults_for_timestamp", 1L}, {"default_week_format", 0L},
            {"group_concat_max_len", 1024L}, {"long_query_time", 10.0}, {"binlog_format", "ROW"},
            {"log_bin", 0L}, {"gtid_mode", "OFF"}, {"read_only", 0L}, {"super_read_only", 0L},
            {"innodb_version", "8.0.36"}, {"storage_engine", "InnoDB"},
            {"cairn_txn_mode", "pessimistic"}, {"sql_quote_show_create", 1L}, {"sql_notes", 1L}, {"slow_query_log", 0L},
            {"slow_query_log_file", ""},
            {"optimizer_switch", "index_merge=on,index_merge_union=on,index_merge_sort_union=on,"
                    + "index_merge_intersection=on,engine_condition_pushdown=on,index_condition_pushdown=on,mrr=on,"
                    + "mrr_cost_based=on,block_nested_loop=on,batched_key_access=off,materialization=on,semijoin=on,"
                    + "loosescan=on,firstmatch=on,duplicateweedout=on,subquery_materialization_cost_based=on,"
                    + "use_index_extensions=on,condition_fanout_filter=on,derived_merge=on,use_invisible_indexes=off,"
                    + "skip_scan=on,hash_join=on,subquery_to_derived=off,prefer_ordering_index=on,"
                    + "hypergraph_optimizer=off,derived_condition_pushdown=on"}, {"require_secure_transport", 0L}, {"max_user_connections", 0L},
        };
        for (Object[] kv : d) {
            DEFAULTS.put((String) kv[0], kv[1]);
        }
    }

    private final GlobalVariables globals;
    private final Map<String, Object> session = new TreeMap<>();

    /** A session's variables, starting from {@code globals} as they are now. */
    public SessionVariables(GlobalVariables globals) {
        this.globals = globals;
        session.putAll(globals.all());
    }

    /** The session value of {@code name} ("session.x", "global.x", "local.x" or "x"). */
    public Object get(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        boolean global = false;
        if (n.startsWith("session.") || n.startsWith("local.")) {
            n = n.substring(n.indexOf('.') + 1);
        } else if (n.startsWith("global.")) {
            n = n.substring(7);
            global = true;
        }
        Object mode = globals.writeMode(n);
        if (mode != null) {
            return mode;
        }
        if (!global && session.containsKey(n)) {
            return session.get(n);
        }
        if (global && globals.get(n) != null) {
            return globals.get(n);
        }
        if (DEFAULTS.containsKey(n)) {
            return DEFAULTS.get(n);
        }
        throw new SqlException(MysqlError.UNKNOWN_SYSTEM_VARIABLE, n);
    }

    /** Whether {@code name} is a known variable. */
    public static boolean known(String name) {
        return DEFAULTS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Sets a session value (the caller has validated it). */
    public void set(String name, Object value) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!DEFAULTS.containsKey(n)) {
            throw new SqlException(MysqlError.UNKNOWN_SYSTEM_VARIABLE, n);
        }
        session.put(n, value);
    }

    /** All variables with their session values, by name. */
    public Map<String, Object> all() {
        Map<String, Object> out = new TreeMap<>(DEFAULTS);
        out.putAll(session);
        GlobalVariables.WRITE_MODE.forEach(name -> out.put(name, globals.writeMode(name)));
        return out;
    }
}
