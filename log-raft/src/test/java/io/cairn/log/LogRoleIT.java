package io.cairn.log;

import io.cairn.log.impl.LogConfig;
import io.cairn.node.ConfigException;
import io.cairn.node.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log role on a single-peer group (the all-in-one layout). */
class LogRoleIT {

    @Test
    void singlePeerRoleBecomesReadyServesTheLogAndStops(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> props = Map.of(LogConfig.PEERS, "p1=127.0.0.1:" + port, LogConfig.SELF, "p1",
                LogConfig.DIR, dir.toString(), LogConfig.ELECTION_TIMEOUT_MS, "300");
        LogRole role = LogRole.fromProperties(k -> Optional.ofNullable(props.get(k)));
        assertThat(role.role()).isEqualTo(Role.LOG);
        assertThat(role.liveness().up()).isFalse();
        try {
            role.start();
            assertThat(role.liveness().up()).isTrue();
            long lsn = role.logService().append(List.of("hello".getBytes(StandardCharsets.UTF_8)));
            assertThat(role.logService().read(lsn, 1024).entries()).hasSize(1);
            assertThat(role.readiness().up()).as(role.readiness().data().toString()).isTrue();
            assertThat(role.readiness().data()).containsEntry("leader", "p1");
            GroupInfo info = role.logAdmin().groupInfo();
            assertThat(info.leaderId()).isEqualTo("p1");
            assertThat(info.peers()).extracting(GroupInfo.PeerInfo::id).containsExactly("p1");
            for (InetAddress other : nonLoopbackAddresses()) {
                try (Socket probe = new Socket()) {
                    assertThatThrownBy(() -> probe.connect(new InetSocketAddress(other, port), 2000))
                            .as("the Raft port listens on its peer's address only, not on " + other)
                            .isInstanceOf(IOException.class);
                }
            }
        } finally {
            role.stop();
        }
        assertThat(role.liveness().up()).isFalse();
        assertThat(role.readiness().up()).isFalse();
        role.stop(); // idempotent
    }

    @Test
    void aPeerWhosePortIsTakenFailsToStartAndTheJvmGoesOn(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> props = Map.of(LogConfig.PEERS, "p1=127.0.0.1:" + taken.getLocalPort(),
                    LogConfig.SELF, "p1", LogConfig.DIR, dir.toString());
            LogRole role = LogRole.fromProperties(k -> Optional.ofNullable(props.get(k)));
            // Ratis' own reaction is to end the JVM, which would end this test run too.
            assertThatThrownBy(role::start).hasMessageContaining("could not start its endpoint 127.0.0.1:"
                    + taken.getLocalPort());
            assertThat(role.liveness().up()).isFalse();
            role.stop();
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                Collections.list(nic.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address).forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void aServerWithTheLogRoleMustNameItsPeer() {
        assertThatThrownBy(() -> LogRole.fromProperties(k -> Optional.empty()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.property()).isEqualTo(LogConfig.SELF));
    }
}
