package io.cairn.server;

import io.cairn.mysql.server.MysqlServer;

/** A compute node in this JVM as this server's proxy sees it: it connects to it without a socket. */
public interface LocalComputeNode {
    /** {@code host:port} of its MySQL port, as other servers' proxies know it. */
    String endpoint();

    /** Its MySQL server; null before it has started and after it stopped. */
    MysqlServer mysqlServer();
}
