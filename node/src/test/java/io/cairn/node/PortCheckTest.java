package io.cairn.node;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortCheckTest {
    @Test
    void aTakenPortNamesTheProperty() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> PortCheck.ensureFree("cairn.proxy.port", "127.0.0.1", port))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("cairn.proxy.port: cannot listen on 127.0.0.1:" + port);
        }
    }

    @Test
    void aFreePortPasses() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        assertThatCode(() -> PortCheck.ensureFree("cairn.cn.port", "127.0.0.1", port)).doesNotThrowAnyException();
    }
}
