package io.cairn.compute;

import io.cairn.data.DataNode;
import io.cairn.node.ByteSize;
import io.cairn.node.ConfigException;
import io.cairn.sql.session.SqlEngine;
import java.util.Optional;
import java.util.function.Function;

/**
 * The memory bounds of the compute node's statements, read once at start-up (MicroProfile Config;
 * defaults in {@code liberty-config/cairn.xml}). Sizes as {@link ByteSize} reads them: bytes, or a number
 * with k, m or g ({@code 64m}).
 *
 * @param maxWriteSetBytes  {@code cairn.txn.max-size}: the most bytes one transaction's writes may take
 *                          (past it: 1197); at most {@link DataNode#MAX_WRITE_SET_BYTES}, what one log
 *                          entry holds, which is also the default
 * @param maxOperatorMemory {@code cairn.sql.max-operator-memory}: the most bytes one statement's sorts and
 *                          groupings may hold (past it: 1038); default 64M
 */
public record ComputeNodeLimits(long maxWriteSetBytes, long maxOperatorMemory) {
    public static final String TXN_MAX_SIZE = "cairn.txn.max-size";
    public static final String MAX_OPERATOR_MEMORY = "cairn.sql.max-operator-memory";

    /** The limits when nothing is configured. */
    public static final ComputeNodeLimits DEFAULTS =
            new ComputeNodeLimits(DataNode.MAX_WRITE_SET_BYTES, SqlEngine.DEFAULT_MAX_OPERATOR_MEMORY);

    /**
     * @param lookup the configuration source: property name to value, empty when unset
     * @throws ConfigException naming the first bad property
     */
    public static ComputeNodeLimits load(Function<String, Optional<String>> lookup) {
        long writeSet = size(lookup, TXN_MAX_SIZE, DEFAULTS.maxWriteSetBytes());
        if (writeSet > DataNode.MAX_WRITE_SET_BYTES) {
            throw new ConfigException(TXN_MAX_SIZE, writeSet + " bytes is more than a commit can carry: a transaction's"
                    + " writes go into one log entry, which holds up to " + DataNode.MAX_WRITE_SET_BYTES
                    + " bytes of writes (the default)");
        }
        long operators = size(lookup, MAX_OPERATOR_MEMORY, DEFAULTS.maxOperatorMemory());
        return new ComputeNodeLimits(writeSet, operators);
    }

    private static long size(Function<String, Optional<String>> lookup, String property, long fallback) {
        Optional<String> value = lookup.apply(property).map(String::trim).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return fallback;
        }
        return ByteSize.parse(property, value.get(), 1, Long.MAX_VALUE);
    }
}
