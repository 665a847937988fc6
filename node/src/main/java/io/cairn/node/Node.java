package io.cairn.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Cairn server: joins the cluster, starts the services of its active roles, and answers the
 * health probes from their real state.
 *
 * <p>{@link #start} checks the ports synchronously (so a bad configuration fails at once, naming
 * the property) and then does the slow work on a background thread: Hazelcast join, then each role
 * in order log, tn, cn, proxy. A role whose start throws is FAILED; the others still start. Once a
 * second the node publishes its state and ready roles to the cluster.
 *
 * <p>Thread-safe: health and member queries may come from any thread at any time.
 */
public final class Node implements ClusterView, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Node.class.getName());

    /** Lifecycle of one component (the membership or a role). */
    public enum Phase {
        STARTING, RUNNING, FAILED, STOPPED
    }

    private record State(Phase phase, String error) {
    }

    private final NodeConfig config;
    private final ScheduledExecutorService worker;
    private final Map<Role, RoleService> services = new EnumMap<>(Role.class);
    private final Map<Role, State> roleStates = new EnumMap<>(Role.class);
    private volatile State membershipState = new State(Phase.STARTING, null);
    private volatile Membership membership;

    public Node(NodeConfig config) {
        this.config = config;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cairn-node-" + config.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    public NodeConfig config() {
        return config;
    }

    /**
     * Starts the node with one service per active role.
     *
     * @throws ConfigException when a port is taken (nothing has been started then)
     * @throws IllegalArgumentException when the services do not match the configured roles
     */
    public synchronized void start(List<RoleService> roleServices) {
        for (RoleService service : roleServices) {
            if (services.put(service.role(), service) != null) {
                throw new IllegalArgumentException("two services for role " + service.role());
            }
        }
        if (!services.keySet().equals(config.roles())) {
            throw new IllegalArgumentException("services " + services.keySet() + " do not match roles " + config.roles());
        }
        PortCheck.ensureFree(config);
        services.keySet().forEach(role -> roleStates.put(role, new State(Phase.STARTING, null)));
        worker.execute(this::startAll);
    }

    private void startAll() {
        try {
            membership = Membership.join(config);
            membershipState = new State(Phase.RUNNING, null);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "CAIRN0002E: Cannot join the cluster: " + e.getMessage(), e);
            membershipState = new State(Phase.FAILED, String.valueOf(e.getMessage()));
        }
        List<RoleService> ordered = new ArrayList<>(services.values());
        ordered.sort(Comparator.comparingInt((RoleService s) -> startOrder(s.role())));
        for (RoleService service : ordered) {
            Role role = service.role();
            try {
                service.start();
                setState(role, new State(Phase.RUNNING, null));
                LOG.info(() -> "CAIRN0003I: Role " + role.configName() + " started on " + config.name());
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "CAIRN0004E: Role " + role.configName() + " failed to start: " + e.getMessage(), e);
                setState(role, new State(Phase.FAILED, String.valueOf(e.getMessage())));
            }
        }
        worker.scheduleWithFixedDelay(this::publishStatus, 0, 1, TimeUnit.SECONDS);
    }

    /** The log must be up before the TN appends to it, the TN before CNs commit, CNs before the proxy routes. */
    private static int startOrder(Role role) {
        return switch (role) {
            case LOG -> 0;
            case TN -> 1;
            case CN -> 2;
            case PROXY -> 3;
        };
    }

    private synchronized void setState(Role role, State state) {
        roleStates.put(role, state);
    }

    private synchronized State stateOf(Role role) {
        return roleStates.get(role);
    }

    private void publishStatus() {
        Membership current = membership;
        if (current == null || !current.running()) {
            return;
        }
        try {
            List<String> ready = new ArrayList<>();
            boolean allStarted = true;
            for (Role role : config.roles()) {
                allStarted &= stateOf(role).phase() != Phase.STARTING;
                if (health(role, Probe.READY).up()) {
                    ready.add(role.configName());
                }
            }
            ready.sort(null);
            String state = !allStarted ? "starting" : ready.size() == config.roles().size() ? "ready" : "not-ready";
            current.publish(new MemberStatus(state, config.cnGroup(), ready, transactionNodeStatus()));
        } catch (RuntimeException e) {
            // The cluster may be shutting down or partitioned; the next round tries again.
            LOG.log(Level.FINE, "Could not publish member status", e);
        }
    }

    /**
     * The answer of one probe for one active role. STARTED is UP once the role has started; LIVE is
     * DOWN when it failed to start or its service says it is wedged; READY is UP when it has started
     * and its service says it can take work.
     */
    public HealthReport health(Role role, Probe probe) {
        State state = stateOf(role);
        if (state == null) {
            throw new IllegalArgumentException("role " + role + " is not active on this server");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("phase", state.phase().name().toLowerCase());
        if (state.error() != null) {
            data.put("error", state.error());
        }
        boolean up;
        switch (probe) {
            case STARTED -> up = state.phase() == Phase.RUNNING;
            case LIVE -> {
                up = state.phase() != Phase.FAILED;
                if (up && state.phase() == Phase.RUNNING) {
                    HealthReport live = services.get(role).liveness();
                    data.putAll(live.data());
                    up = live.up();
                }
            }
            case READY -> {
                up = false;
                if (state.phase() == Phase.RUNNING) {
                    HealthReport ready = services.get(role).readiness();
                    data.putAll(ready.data());
                    up = ready.up();
                }
            }
            default -> throw new IllegalStateException("unknown probe " + probe);
        }
        return HealthReport.of(up, data);
    }

    /** This server's TN as its role reports it, when it runs one that has started; else null. */
    private TransactionNodeStatus transactionNodeStatus() {
        State state = stateOf(Role.TN);
        if (state == null || state.phase() != Phase.RUNNING
                || !(services.get(Role.TN) instanceof TransactionNodeStatus.Source source)) {
            return null;
        }
        return source.status();
    }

    /**
     * The transaction nodes of the cluster, one per server with the tn role, as each published its own (at
     * most about a second old); empty before this server has joined.
     */
    public List<TransactionNodeStatus> transactionNodes() {
        Membership current = membership;
        return current == null || !current.running() ? List.of() : current.transactionNodes();
    }

    /** The answer of one probe for this server's cluster membership. */
    public HealthReport membershipHealth(Probe probe) {
        State state = membershipState;
        Membership current = membership;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("phase", state.phase().name().toLowerCase());
        if (state.error() != null) {
            data.put("error", state.error());
        }
        boolean running = current != null && current.running();
        if (running) {
            data.put("members", current.size());
        }
        boolean up = switch (probe) {
            case STARTED -> state.phase() == Phase.RUNNING;
            case LIVE -> state.phase() == Phase.STARTING || running;
            case READY -> state.phase() == Phase.RUNNING && running;
        };
        return HealthReport.of(up, data);
    }

    @Override
    public List<MemberInfo> members() {
        Membership current = membership;
        return current == null || !current.running() ? List.of() : current.members();
    }

    /**
     * Sets the CN group of server {@code server} for the whole cluster (null: its configured group).
     *
     * @throws IllegalArgumentException for a group name {@code cairn.cn.group} would refuse
     * @throws IllegalStateException while this server has not joined the cluster
     */
    public void setCnGroup(String server, String group) {
        if (group != null && !NodeConfig.isValidGroup(group)) {
            throw new IllegalArgumentException("'" + group + "' must be 1-64 letters, digits, '_' or '-'");
        }
        joined().setCnGroup(server, group);
    }

    /**
     * Marks the compute node of server {@code server} draining (proxies move its sessions away and
     * send it no new ones) or not, for the whole cluster.
     *
     * @throws IllegalStateException while this server has not joined the cluster
     */
    public void setDraining(String server, boolean draining) {
        joined().setDraining(server, draining);
    }

    private Membership joined() {
        Membership current = membership;
        if (current == null || !current.running()) {
            throw new IllegalStateException("this server has not joined the cluster");
        }
        return current;
    }

    /** Stops the roles in reverse start order, then leaves the cluster. */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<RoleService> ordered = new ArrayList<>(services.values());
        ordered.sort(Comparator.comparingInt((RoleService s) -> -startOrder(s.role())));
        for (RoleService service : ordered) {
            service.stop();
            setState(service.role(), new State(Phase.STOPPED, null));
        }
        Membership current = membership;
        if (current != null) {
            current.close();
        }
        membershipState = new State(Phase.STOPPED, null);
    }
}
