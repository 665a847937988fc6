package io.cairn.server;

import io.cairn.log.LogAdmin;
import io.cairn.log.LogService;
import io.cairn.mysql.server.ClusterCertificates;
import io.cairn.mysql.server.TlsUpgrader;
import io.cairn.node.Node;
import io.cairn.node.NodeConfig;
import io.cairn.txn.TransactionService;
import io.cairn.txn.checkpoint.CheckpointStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the roles of one server share, as the {@link ServerAssembly} hands it to each {@link RoleFactory}:
 * the configuration, the cluster membership, the secrets and key stores, and the roles they call in this JVM.
 * A supplier of another role's object is evaluated only once that role has started ({@link Node} starts
 * the log, then the TN, the CN and the proxy).
 *
 * @param config              this server's configuration
 * @param settings            every setting by name ({@code cairn.*} server variables)
 * @param cluster             the membership this server joins
 * @param clusterSecret       {@code cairn.cluster.secret}; null when unset
 * @param jvmSecret           without a cluster secret, what lets this server's proxy log in on its clients'
 *                            behalf at this server's CN: random, known only to this JVM
 * @param clientTls           TLS of both client-facing MySQL ports, proxy and CN, so one reload covers
 *                            both ({@link ClientTls}); null without a key store
 * @param clusterCertificates the cluster PKI as the MySQL ports use it; null without one
 * @param checkpoints         where checkpoints are; null when they are off
 * @param log                 this server's log peer's client
 * @param logAdmin            this server's log peer's group operations
 * @param localActiveTn       this server's TN when it is the active one, else null
 * @param localComputeNode    this server's CN, for its proxy; empty when it runs none
 */
public record ServerContext(NodeConfig config, Function<String, Optional<String>> settings, Node cluster,
        String clusterSecret, byte[] jvmSecret, TlsUpgrader clientTls, ClusterCertificates clusterCertificates,
        CheckpointStore checkpoints, Supplier<LogService> log, Supplier<LogAdmin> logAdmin,
        Supplier<TransactionService> localActiveTn, Optional<LocalComputeNode> localComputeNode) {

    /** What proxies present to a CN to log in on a client's behalf: the cluster secret, else the JVM's own. */
    public byte[] proxySecret() {
        return clusterSecret != null ? clusterSecret.getBytes(StandardCharsets.UTF_8) : jvmSecret;
    }
}
