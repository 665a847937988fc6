package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compute nodes match accounts' host parts ({@code 'bob'@'10.0.%'}) against the client's address, so
 * behind the proxy they must see the client's, not the proxy's: at the first login and when a session
 * moves to another compute node. The client connects from 127.0.0.2 (Connector/J's
 * {@code localSocketAddress}); the proxy reaches the compute nodes from 127.0.0.1.
 */
class ProxyClientAddressIT {
    private static final byte[] SECRET = "proxy-it-cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final Map<String, TestComputeNode> cns = new HashMap<>();
    private final List<ComputeNodes.Cn> members = new CopyOnWriteArrayList<>();
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        for (String name : List.of("a1", "a2")) {
            TestComputeNode cn = new TestComputeNode(name, SECRET);
            cns.put(name, cn);
            members.add(new ComputeNodes.Cn(name, cn.endpoint(), "default", false, true));
        }
        ProxySettings settings = ProxySettings.load("127.0.0.1", 0, new String(SECRET, StandardCharsets.UTF_8),
                null, key -> Optional.empty());
        proxy = new ProxyServer(settings, new ComputeNodes(() -> List.copyOf(members),
                new CircuitBreaker(System::nanoTime)), ProxyServer.LocalCn.NONE).start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        cns.values().forEach(TestComputeNode::close);
    }

    @Test
    void computeNodesSeeTheClientsAddressAtLoginAndAfterAMove() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port()
                + "/test?sslMode=DISABLED&localSocketAddress=127.0.0.2", "alice", TestComputeNode.PASSWORD)) {
            String first = cn(c);
            assertThat(addressesSeenBy(first)).containsOnly("127.0.0.2");
            cns.get(first).close(); // the session moves: the proxy logs in again on the other CN (ASSERT)
            String second = cn(c);
            assertThat(second).isNotEqualTo(first);
            assertThat(addressesSeenBy(second)).containsOnly("127.0.0.2");
        }
    }

    private static String cn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CN")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private List<String> addressesSeenBy(String cn) {
        return cns.get(cn).sessions.values().stream()
                .map(s -> ((InetSocketAddress) s.info().remoteAddress()).getAddress().getHostAddress()).toList();
    }
}
