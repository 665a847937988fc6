package io.cairn.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Fails start-up early, naming the property, when a port this server must listen on is taken. */
final class PortCheck {
    private PortCheck() {
    }

    static void ensureFree(String property, String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new ConfigException(property, "cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")");
        }
    }

    /** Checks the ports of the roles this server runs, and the Hazelcast port every server uses. */
    static void ensureFree(NodeConfig config) {
        NodeConfig.Ports ports = config.ports();
        ensureFree(NodeConfig.HAZELCAST_PORT, config.host(), ports.hazelcast());
        if (config.runs(Role.PROXY)) {
            ensureFree(NodeConfig.PROXY_PORT, config.host(), ports.proxyMysql());
        }
        if (config.runs(Role.CN)) {
            ensureFree(NodeConfig.CN_PORT, config.host(), ports.cnMysql());
        }
        if (config.runs(Role.LOG)) {
            ensureFree(NodeConfig.LOG_PORT, config.host(), ports.log());
        }
    }
}
