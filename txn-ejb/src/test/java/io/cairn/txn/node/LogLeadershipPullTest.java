package io.cairn.txn.node;

import static io.cairn.txn.node.TransactionNodeTest.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.log.GroupInfo;
import io.cairn.log.LogAdmin;
import io.cairn.node.testing.Wait;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The pull asks for the leadership only for an active TN, re-checked right before the transfer. */
class LogLeadershipPullTest {
    /** A log whose leader is p1 of p1..p3 (all caught up); records the transfers asked for. */
    private static LogAdmin logLedByP1(List<String> transfers) {
        GroupInfo info = new GroupInfo("p1", 3, 100, List.of(
                new GroupInfo.PeerInfo("p1", "a:1", 100, 0),
                new GroupInfo.PeerInfo("p2", "a:2", 100, 0),
                new GroupInfo.PeerInfo("p3", "a:3", 100, 0)));
        return (LogAdmin) Proxy.newProxyInstance(LogAdmin.class.getClassLoader(), new Class<?>[] {LogAdmin.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "groupInfo" -> info;
                    case "transferLeadership" -> {
                        transfers.add((String) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void anActiveTnPullsTheLeadershipToItsOwnPeer() throws Exception {
        List<String> transfers = new CopyOnWriteArrayList<>();
        LogLeadershipPull pull = new LogLeadershipPull(logLedByP1(transfers), "p2", System::nanoTime,
                Duration.ofSeconds(5), () -> true);
        pull.maybePull();
        Wait.until("a transfer", WAIT, () -> !transfers.isEmpty());
        assertThat(transfers).containsExactly("p2");
        pull.close();
    }

    @Test
    void aTnThatLostItsLeaseDoesNotPull() throws Exception {
        List<String> transfers = new CopyOnWriteArrayList<>();
        AtomicBoolean asked = new AtomicBoolean();
        LogLeadershipPull pull = new LogLeadershipPull(logLedByP1(transfers), "p2", System::nanoTime,
                Duration.ofSeconds(5), () -> {
                    asked.set(true);
                    return false; // deposed between the driver's check and the transfer
                });
        pull.maybePull();
        Wait.until("the lease asked about", WAIT, asked::get);
        pull.close(); // waits for the ask in progress
        assertThat(transfers).isEmpty();
    }
}
