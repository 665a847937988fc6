package io.cairn.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleService;
import com.hazelcast.replicatedmap.ReplicatedMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * This server's embedded Hazelcast member: it joins the other servers listed in
 * {@code cairn.hazelcast.members} over TCP/IP (multicast off) and tells who is in the cluster,
 * with their roles, CN group, endpoints and state.
 *
 * <p>Static facts (name, roles, endpoints) are Hazelcast member attributes. Facts that change
 * while a server runs (state, ready roles, CN group) are in a replicated map keyed by member id,
 * written only by the member they describe. Hazelcast is never the source of truth for data or
 * commits; a member it lists may already be dead for up to the heartbeat timeout (5 s).
 *
 * <p>Thread-safe. {@link #join} blocks until this member has joined or formed a cluster.
 */
public final class Membership implements AutoCloseable {
    private static final String STATUS_MAP = "cairn.member-status";
    private static final String CN_SETTINGS_MAP = "cairn.cn-settings";
    private static final String ATTR_NAME = "cairn.name";
    private static final String ATTR_ROLES = "cairn.roles";
    private static final String ATTR_MYSQL = "cairn.mysql";
    private static final String ATTR_CN_MYSQL = "cairn.cn-mysql";
    private static final String ATTR_HTTP = "cairn.http";
    private static final String ATTR_LOG = "cairn.log";

    private final HazelcastInstance hazelcast;
    private final ReplicatedMap<String, MemberStatus> statuses;
    private final ReplicatedMap<String, CnSettings> cnSettings;
    private final String initialGroup;

    private Membership(HazelcastInstance hazelcast, String initialGroup) {
        this.hazelcast = hazelcast;
        this.statuses = hazelcast.getReplicatedMap(STATUS_MAP);
        this.cnSettings = hazelcast.getReplicatedMap(CN_SETTINGS_MAP);
        this.initialGroup = initialGroup;
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                // a joining member publishes its own status
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                statuses.remove(event.getMember().getUuid().toString());
            }
        });
    }

    /** Starts the Hazelcast member and joins the cluster named in the configuration. */
    public static Membership join(NodeConfig config) {
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(hazelcastConfig(config));
        Membership membership = new Membership(instance, config.cnGroup());
        membership.publish(new MemberStatus("starting", config.cnGroup(), List.of(), null));
        return membership;
    }

    static Config hazelcastConfig(NodeConfig node) {
        Config config = new Config();
        config.setClusterName(node.clusterName());
        config.setInstanceName("cairn-" + node.name() + "-" + node.ports().hazelcast());
        config.setClassLoader(Membership.class.getClassLoader());
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Liberty owns the JVM's shutdown; the node closes Hazelcast itself.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // Fast failure detection: a killed or paused server leaves the member list within ~5 s.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", node.host());

        // Cairn's own values travel in compact form; Java deserialization (gadget chains) is filtered to
        // Hazelcast's and the JDK's classes, which Hazelcast's internals may still send that way.
        config.getSerializationConfig().getCompactSerializationConfig()
                .addSerializer(new MemberStatus.Serializer())
                .addSerializer(new CnSettings.Serializer());
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        filter.getWhitelist().addPrefixes("com.hazelcast.", "java.");
        config.getSerializationConfig().setJavaSerializationFilterConfig(filter);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(node.ports().hazelcast()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(node.host());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (node.kubernetesServiceDns().isPresent()) {
            // Hazelcast's own Kubernetes discovery in DNS mode: the headless service's addresses, no API access
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", node.kubernetesServiceDns().get())
                    .setProperty("service-port", String.valueOf(node.ports().hazelcast()));
        } else {
            join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(node.hazelcastMembers());
        }

        var attributes = config.getMemberAttributeConfig();
        attributes.setAttribute(ATTR_NAME, node.name());
        attributes.setAttribute(ATTR_ROLES,
                node.roles().stream().sorted().map(Role::configName).collect(Collectors.joining(",")));
        NodeConfig.Ports ports = node.ports();
        setIf(attributes, node.runs(Role.PROXY), ATTR_MYSQL, node.host() + ":" + ports.proxyMysql());
        setIf(attributes, node.runs(Role.CN), ATTR_CN_MYSQL, node.host() + ":" + ports.cnMysql());
        setIf(attributes, node.runs(Role.LOG), ATTR_LOG, node.host() + ":" + ports.log());
        attributes.setAttribute(ATTR_HTTP, node.host() + ":" + ports.http());
        return config;
    }

    private static void setIf(com.hazelcast.config.MemberAttributeConfig attributes, boolean condition, String key,
            String value) {
        if (condition) {
            attributes.setAttribute(key, value);
        }
    }

    /** The members of the cluster as this member sees it, oldest first. */
    public List<MemberInfo> members() {
        Set<Member> members = hazelcast.getCluster().getMembers();
        List<MemberInfo> result = new ArrayList<>(members.size());
        for (Member member : members) {
            result.add(describe(member));
        }
        return result;
    }

    private MemberInfo describe(Member member) {
        String uuid = member.getUuid().toString();
        MemberStatus status = statuses.get(uuid);
        String name = member.getAttribute(ATTR_NAME);
        CnSettings settings = name == null ? null : cnSettings.get(name);
        String group = settings != null && settings.group() != null ? settings.group()
                : status != null ? status.cnGroup() : initialGroup;
        return new MemberInfo(
                name,
                uuid,
                member.getAddress().getHost() + ":" + member.getAddress().getPort(),
                split(member.getAttribute(ATTR_ROLES)),
                group,
                settings != null && settings.draining(),
                status != null ? status.state() : "starting",
                status != null ? status.readyRoles() : List.of(),
                new MemberInfo.Endpoints(member.getAttribute(ATTR_MYSQL), member.getAttribute(ATTR_CN_MYSQL),
                        member.getAttribute(ATTR_HTTP), member.getAttribute(ATTR_LOG)),
                member.localMember());
    }

    /**
     * The transaction node of every member with the tn role, by server name, as each last published it
     * ({@link TransactionNodeStatus#unknown} for one that has not).
     */
    public List<TransactionNodeStatus> transactionNodes() {
        List<TransactionNodeStatus> result = new ArrayList<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (!split(member.getAttribute(ATTR_ROLES)).contains(Role.TN.configName())) {
                continue;
            }
            String name = member.getAttribute(ATTR_NAME);
            MemberStatus status = statuses.get(member.getUuid().toString());
            TransactionNodeStatus tn = status == null ? null : status.tn();
            result.add(tn == null ? TransactionNodeStatus.unknown(name) : new TransactionNodeStatus(name, tn.state(),
                    tn.epoch(), tn.leaseHolder(), tn.leaseAgeMillis(), tn.leaseMillis()));
        }
        // by name: the members' order is the order they joined in, which differs from start to start
        result.sort(Comparator.comparing(TransactionNodeStatus::server, Comparator.nullsLast(Comparator.naturalOrder())));
        return result;
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }

    /** Publishes this member's changing status, if it differs from what is published. */
    void publish(MemberStatus status) {
        String self = hazelcast.getCluster().getLocalMember().getUuid().toString();
        if (!Objects.equals(statuses.get(self), status)) {
            statuses.put(self, status);
        }
    }

    /**
     * Sets the CN group of server {@code name} (null: back to its configured group), for the whole
     * cluster. Last writer wins when two operators change the same server at once.
     */
    public void setCnGroup(String name, String group) {
        CnSettings old = cnSettings.get(name);
        cnSettings.put(name, new CnSettings(group, old != null && old.draining()));
    }

    /** Marks the compute node of server {@code name} draining or not, for the whole cluster. */
    public void setDraining(String name, boolean draining) {
        CnSettings old = cnSettings.get(name);
        cnSettings.put(name, new CnSettings(old == null ? null : old.group(), draining));
    }

    /** Whether the Hazelcast member is up (it stops by itself if it cannot stay in a cluster). */
    public boolean running() {
        LifecycleService lifecycle = hazelcast.getLifecycleService();
        return lifecycle.isRunning();
    }

    /** Number of members in the cluster as this member sees it. */
    public int size() {
        return hazelcast.getCluster().getMembers().size();
    }

    @Override
    public void close() {
        hazelcast.shutdown();
    }
}
