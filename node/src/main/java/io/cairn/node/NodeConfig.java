package io.cairn.node;

import io.cairn.node.tls.ClusterTls;

import java.nio.file.Files;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The validated settings of one Cairn server. Built once at start-up from MicroProfile Config (or,
 * in tests, from a map) by {@link #load(Function)}; every problem is a {@link ConfigException} that
 * names the property.
 *
 * @param name            this server's name in the cluster ({@code cairn.node.name})
 * @param roles           the roles this server runs ({@code cairn.roles})
 * @param host            the loopback or interface address every endpoint binds to ({@code cairn.host})
 * @param dataDir         where this server keeps its files ({@code cairn.data.dir})
 * @param clusterName     the Hazelcast cluster name; servers join only their own cluster ({@code cairn.cluster.name})
 * @param cnGroup         the CN group label of this server's compute node ({@code cairn.cn.group})
 * @param ports           the ports this server listens on
 * @param hazelcastMembers host:port of the Hazelcast members to join ({@code cairn.hazelcast.members}); unused
 *                        with Kubernetes discovery
 * @param kubernetesServiceDns with {@code cairn.discovery=kubernetes}, the DNS name of the headless service whose
 *                        addresses are the members to join ({@code cairn.discovery.service-dns}); empty: the list
 * @param clusterTls      the cluster PKI for internal traffic ({@code cairn.cluster.tls.*}); empty: plain,
 *                        allowed only when {@code host} is a loopback address
 */
public record NodeConfig(
        String name,
        Set<Role> roles,
        String host,
        Path dataDir,
        String clusterName,
        String cnGroup,
        Ports ports,
        List<String> hazelcastMembers,
        Optional<String> kubernetesServiceDns,
        Optional<ClusterTls> clusterTls) {

    public static final String NAME = "cairn.node.name";
    public static final String ROLES = "cairn.roles";
    public static final String HOST = "cairn.host";
    /** The password of the MySQL root user until the user catalog has one. */
    public static final String ROOT_PASSWORD = "cairn.root.password";
    /** Authenticates server-to-server calls (internal API, proxy logins at CNs); unset: single-server only. */
    public static final String CLUSTER_SECRET = "cairn.cluster.secret";
    public static final String DATA_DIR = "cairn.data.dir";
    public static final String CLUSTER_NAME = "cairn.cluster.name";
    public static final String CN_GROUP = "cairn.cn.group";
    /** The heap the compute node's checkpoint block cache may take (a size: bytes, or with k, m, g). */
    public static final String BLOCK_CACHE = "cairn.cn.block-cache";
    /**
     * The local disk the block cache may take under the heap tier, in {@code <data dir>/block-cache} (a size;
     * 0, the default, turns the disk tier off: the embedded default's object storage is a local folder already).
     */
    public static final String BLOCK_CACHE_DISK = "cairn.cn.block-cache-disk";
    /**
     * How often the compute node lists the checkpoint manifests for a newer one to move onto, in milliseconds (100 to
     * 600000; default 1000). Until it moves on it holds every change since the checkpoint before; each look is one
     * listing of object storage.
     */
    public static final String CHECKPOINT_POLL_MS = "cairn.cn.checkpoint-poll-ms";
    /** The TN's memory budget of changes not yet in a checkpoint (a size; default a sixteenth of the heap). */
    public static final String MEMTABLE_MAX = "cairn.memtable.max";
    public static final String PROXY_PORT = "cairn.proxy.port";
    public static final String CN_PORT = "cairn.cn.port";
    public static final String HTTP_PORT = "cairn.http.port";
    /**
     * Liberty's second HTTPS port, for internal calls between servers when cluster TLS is configured (it requires
     * a cluster certificate; the admin API's HTTPS port, {@code cairn.https.port}, does not).
     */
    public static final String INTERNAL_PORT = "cairn.internal.port";
    public static final String LOG_PORT = "cairn.log.port";
    public static final String HAZELCAST_PORT = "cairn.hazelcast.port";
    public static final String HAZELCAST_MEMBERS = "cairn.hazelcast.members";
    /** How a server finds the others: {@code static} (the member list, the default) or {@code kubernetes}. */
    public static final String DISCOVERY = "cairn.discovery";
    /** With Kubernetes discovery: the headless service whose DNS names every Cairn pod. */
    public static final String DISCOVERY_SERVICE_DNS = "cairn.discovery.service-dns";

    /** The ports of one server; the all-in-one defaults are those of cluster server {@code s1}. */
    public record Ports(int proxyMysql, int cnMysql, int http, int internal, int log, int hazelcast) {
    }

    public NodeConfig {
        roles = Set.copyOf(roles);
        hazelcastMembers = List.copyOf(hazelcastMembers);
    }

    /**
     * Where other servers reach this one's internal HTTP API, {@code host:port}: the HTTPS port with
     * cluster TLS (callers then speak HTTPS), else the HTTP port.
     */
    public String internalHttpAddress() {
        return host + ":" + (clusterTls.isPresent() ? ports.internal() : ports.http());
    }

    public boolean runs(Role role) {
        return roles.contains(role);
    }

    /**
     * Reads and validates the configuration.
     *
     * @param lookup the configuration source: property name to value, empty when unset
     * @throws ConfigException for the first bad property found
     */
    public static NodeConfig load(Function<String, Optional<String>> lookup) {
        Source source = new Source(lookup);
        String name = source.string(NAME, "cairn");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new ConfigException(NAME, "'" + name + "' must be 1-63 letters, digits, '.', '_' or '-'");
        }
        Set<Role> roles = Role.parseList(ROLES, source.string(ROLES, "proxy,cn,tn,log"));
        String host = source.string(HOST, "127.0.0.1");
        Path dataDir = dataDir(source.string(DATA_DIR, "data"));
        Ports ports = new Ports(
                source.port(PROXY_PORT, 6001),
                source.port(CN_PORT, 6101),
                source.port(HTTP_PORT, 9080),
                source.port(INTERNAL_PORT, 9643),
                source.port(LOG_PORT, 6201),
                source.port(HAZELCAST_PORT, 5701));
        List<String> members = new ArrayList<>();
        for (String member : source.string(HAZELCAST_MEMBERS, host + ":" + ports.hazelcast()).split(",")) {
            String trimmed = member.trim();
            if (!trimmed.isEmpty()) {
                members.add(hostPort(HAZELCAST_MEMBERS, trimmed));
            }
        }
        if (members.isEmpty()) {
            throw new ConfigException(HAZELCAST_MEMBERS, "must list at least one host:port");
        }
        Optional<String> serviceDns = switch (source.string(DISCOVERY, "static")) {
            case "static" -> Optional.empty();
            case "kubernetes" -> {
                String dns = source.string(DISCOVERY_SERVICE_DNS, "");
                if (!dns.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
                    throw new ConfigException(DISCOVERY_SERVICE_DNS, "'" + dns + "' must be the DNS name of the"
                            + " headless service of the Cairn pods (e.g. cairn-members.cairn.svc.cluster.local)");
                }
                yield Optional.of(dns);
            }
            default -> throw new ConfigException(DISCOVERY, "'" + source.string(DISCOVERY, "")
                    + "' is not static or kubernetes");
        };
        String group = source.string(CN_GROUP, "default");
        if (!isValidGroup(group)) {
            throw new ConfigException(CN_GROUP, "'" + group + "' must be 1-64 letters, digits, '_' or '-'");
        }
        if ((roles.contains(Role.PROXY) || roles.contains(Role.CN)) && source.string(ROOT_PASSWORD, "").isEmpty()
                && !isLoopback(host)) {
            // as mysqld --initialize-insecure: an empty root password only where nobody else can connect
            throw new ConfigException(ROOT_PASSWORD, "must be set: the MySQL ports bind to " + host
                    + ", not a loopback address, and root would have an empty password (it is used until"
                    + " ALTER USER root sets one)");
        }
        Optional<ClusterTls> clusterTls = ClusterTls.load(lookup);
        if (clusterTls.isEmpty() && !isLoopback(host)) {
            // internal ports reachable from other machines must authenticate their peers and encrypt
            throw new ConfigException(ClusterTls.KEY_STORE, "must be set: the cluster ports bind to " + host
                    + ", not a loopback address, and internal traffic would be plain and unauthenticated"
                    + " (bin/cairn generates the cluster PKI under var/tls)");
        }
        return new NodeConfig(name, roles, host, dataDir, source.string(CLUSTER_NAME, "cairn"), group, ports, members,
                serviceDns, clusterTls);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code group} is a valid CN group name: 1-64 letters, digits, '_' or '-'. */
    public static boolean isValidGroup(String group) {
        return group.matches("[A-Za-z0-9_-]{1,64}");
    }

    private static Path dataDir(String value) {
        Path dir = Path.of(value).toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            if (!Files.isWritable(dir)) {
                throw new ConfigException(DATA_DIR, "folder " + dir + " is not writable");
            }
            return dir;
        }
        if (Files.exists(dir)) {
            throw new ConfigException(DATA_DIR, dir + " is not a folder");
        }
        Path parent = dir.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ConfigException(DATA_DIR, "folder " + dir + " does not exist, nor does its parent");
        }
        return dir;
    }

    private static String hostPort(String property, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException(property, "'" + value + "' is not host:port");
        }
        parsePort(property, value.substring(colon + 1));
        return value;
    }

    private static int parsePort(String property, String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the property name
        }
        throw new ConfigException(property, "'" + value + "' is not a port number (1-65535)");
    }

    private record Source(Function<String, Optional<String>> lookup) {
        String string(String property, String fallback) {
            return lookup.apply(property).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
        }

        int port(String property, int fallback) {
            return lookup.apply(property).map(v -> parsePort(property, v)).orElse(fallback);
        }
    }
}
