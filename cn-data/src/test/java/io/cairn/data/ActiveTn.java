package io.cairn.data;

import io.cairn.log.LogService;
import io.cairn.node.testing.Wait;
import io.cairn.txn.node.TransactionNode;
import java.time.Clock;
import java.time.Duration;

/** The one TN of a unit test's CN: started on {@code log}, returned once it holds the lease. */
final class ActiveTn {
    private ActiveTn() {
    }

    static TransactionNode on(LogService log) {
        TransactionNode tn = new TransactionNode(log, Clock.systemUTC(), new TransactionNode.Settings("tn", "local",
                Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(2)));
        tn.start();
        Wait.until("the TN takes its lease", Duration.ofSeconds(10), () -> tn.state() == TransactionNode.State.ACTIVE);
        return tn;
    }
}
