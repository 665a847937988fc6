package io.cairn.proxy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The compute nodes this proxy may send a session to, and how many of its sessions each holds. A new
 * or moving session goes to the CN of its group with the fewest of this proxy's sessions, among
 * those that are ready, not draining and not backing off after a failure ({@link CircuitBreaker}).
 * Groups are isolated: a session never goes to another group's CN. Thread-safe.
 */
final class ComputeNodes {
    /**
     * One compute node as membership lists it.
     *
     * @param name     its server's name
     * @param endpoint host:port of its MySQL port
     * @param ready    whether its readiness check is UP (new sessions go only to ready ones)
     */
    record Cn(String name, String endpoint, String group, boolean draining, boolean ready) {
    }

    private final Supplier<List<Cn>> members;
    private final CircuitBreaker breaker;
    private final Map<String, AtomicInteger> load = new ConcurrentHashMap<>();

    /** @param members the compute nodes of the cluster, asked at each pick */
    ComputeNodes(Supplier<List<Cn>> members, CircuitBreaker breaker) {
        this.members = members;
        this.breaker = breaker;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /** The compute nodes of the cluster now. */
    List<Cn> current() {
        return members.get();
    }

    /** The least-loaded usable CN of {@code group} not in {@code exclude}, or null. */
    Cn pick(String group, Set<String> exclude) {
        return members.get().stream()
                .filter(cn -> cn.ready() && cn.group().equals(group) && !cn.draining() && !exclude.contains(cn.endpoint())
                        && breaker.available(cn.endpoint()))
                .min(Comparator.comparingInt(cn -> sessions(cn.endpoint())))
                .orElse(null);
    }

    /**
     * Whether a CN of {@code group} may become usable soon: the list names one that is not usable now
     * (not ready, draining, backing off), or names no CN at all (a membership view being rebuilt). A
     * group the list does not know while it names other groups' CNs will not be served soon.
     */
    boolean mayServeSoon(String group) {
        List<Cn> now = members.get();
        return now.isEmpty() || now.stream().anyMatch(cn -> cn.group().equals(group));
    }

    /**
     * The groups that have no usable compute node (ready, not draining), among those membership lists
     * and {@code configured}. The circuit breaker is left out: it skips a CN for seconds after one failure.
     */
    Set<String> groupsWithoutCn(Set<String> configured) {
        Set<String> groups = new TreeSet<>(configured);
        Set<String> served = new TreeSet<>();
        for (Cn cn : members.get()) {
            groups.add(cn.group());
            if (cn.ready() && !cn.draining()) {
                served.add(cn.group());
            }
        }
        groups.removeAll(served);
        return groups;
    }

    /** This proxy's sessions on {@code endpoint}. */
    int sessions(String endpoint) {
        AtomicInteger n = load.get(endpoint);
        return n == null ? 0 : n.get();
    }

    void attach(String endpoint) {
        load.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
    }

    void detach(String endpoint) {
        load.get(endpoint).decrementAndGet();
    }
}
