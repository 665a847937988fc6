package io.cairn.txn.testing;

import io.cairn.log.LogService;
import io.cairn.log.LogServiceContract;

/**
 * The in-memory log keeps the same {@link LogServiceContract} as the Ratis one (log-raft's
 * {@code RaftLogServiceContractIT}), so the TN and CN unit tests built on it see the log the servers see.
 */
class InMemoryLogContractTest extends LogServiceContract {

    @Override
    protected LogService newLog() {
        return new InMemoryLog();
    }
}
