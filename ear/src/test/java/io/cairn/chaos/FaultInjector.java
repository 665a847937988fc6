package io.cairn.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Injects one fault and heals it through {@code bin/cairn cluster}. The target server rotates with the
 * cycle: the log leader, then the active TN, then a random server; a storage fault stops two of the six
 * S3 endpoints at once (m = 2, as many as 4+2 coding tolerates: no client may see an error), a different
 * pair in turn; a leader fault moves the log leadership off its holder.
 */
final class FaultInjector {
    private static final Duration COMMAND = Duration.ofMinutes(7);

    private final CairnCluster cluster;
    private final Random random;

    FaultInjector(CairnCluster cluster, long seed) {
        this.cluster = cluster;
        this.random = new Random(seed);
    }

    /** S3 endpoints a storage fault stops together: the parity count of the cluster's 4+2 coding. */
    static final int STORAGE_ENDPOINTS_DOWN = 2;
    private static final int STORAGE_ENDPOINTS = 6;

    /** What a fault hit: a server number or the first of the S3 endpoints stopped, and how it was chosen. */
    record Target(int number, String why) {
        String describe(FaultKind kind) {
            return (kind == FaultKind.STORAGE ? "S3 endpoints " + String.join("+", endpoints()) : "s" + number)
                    + " (" + why + ")";
        }

        /** The S3 endpoints of a storage fault: {@code number} and the next ones, wrapping around. */
        List<String> endpoints() {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < STORAGE_ENDPOINTS_DOWN; i++) {
                out.add(String.valueOf(1 + (number - 1 + i) % STORAGE_ENDPOINTS));
            }
            return out;
        }
    }

    Target choose(FaultKind kind, int cycle) {
        if (kind == FaultKind.STORAGE) {
            return new Target(1 + cycle % STORAGE_ENDPOINTS, "in turn");
        }
        if (kind == FaultKind.LEADER) {
            return new Target(cluster.logLeader().orElse(1), "log leader");
        }
        return switch (cycle % 3) {
            case 0 -> cluster.logLeader().map(s -> new Target(s, "log leader")).orElseGet(this::randomServer);
            case 1 -> cluster.activeTn().map(s -> new Target(s, "active TN")).orElseGet(this::randomServer);
            default -> randomServer();
        };
    }

    private Target randomServer() {
        return new Target(1 + random.nextInt(cluster.servers()), "random");
    }

    void inject(FaultKind kind, Target t) throws IOException, InterruptedException {
        String server = "s" + t.number();
        switch (kind) {
            case KILL -> cluster.cairn(COMMAND, "cluster", "kill", server);
            case PAUSE -> cluster.cairn(COMMAND, "cluster", "pause", server);
            case ISOLATE -> cluster.cairn(COMMAND, "cluster", "isolate", server);
            case STORAGE -> {
                for (String endpoint : t.endpoints()) {
                    cluster.cairn(COMMAND, "cluster", "storage", "stop", endpoint);
                }
            }
            case LEADER -> {
                int to = 1 + (t.number() + random.nextInt(cluster.servers() - 1)) % cluster.servers();
                cluster.cairn(COMMAND, "cluster", "leader", "transfer", "s" + to);
            }
        }
    }

    void heal(FaultKind kind, Target t) throws IOException, InterruptedException {
        String server = "s" + t.number();
        switch (kind) {
            case KILL -> cluster.cairn(COMMAND, "cluster", "restart", server);
            case PAUSE -> cluster.cairn(COMMAND, "cluster", "resume", server);
            case ISOLATE -> cluster.cairn(COMMAND, "cluster", "rejoin", server);
            case STORAGE -> {
                for (String endpoint : t.endpoints()) {
                    cluster.cairn(COMMAND, "cluster", "storage", "start", endpoint);
                }
            }
            case LEADER -> {
                // nothing to undo: the new leader serves, and the active TN may pull the leadership back
            }
        }
    }
}
