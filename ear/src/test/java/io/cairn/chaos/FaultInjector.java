package io.cairn.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;

/**
 * Injects one fault and heals it through {@code bin/cairn cluster}. The target server rotates with the
 * cycle: the log leader, then the active TN, then a random server; a storage fault stops one of the six
 * S3 endpoints, in turn; a leader fault moves the log leadership off its holder.
 */
final class FaultInjector {
    private static final Duration COMMAND = Duration.ofMinutes(7);

    private final CairnCluster cluster;
    private final Random random;

    FaultInjector(CairnCluster cluster, long seed) {
        this.cluster = cluster;
        this.random = new Random(seed);
    }

    /** What a fault hit: a server number or an S3 endpoint number, and how it was chosen. */
    record Target(int number, String why) {
        String describe(FaultKind kind) {
            return (kind == FaultKind.STORAGE ? "S3 endpoint " : "s") + number + " (" + why + ")";
        }
    }

    Target choose(FaultKind kind, int cycle) {
        if (kind == FaultKind.STORAGE) {
            return new Target(1 + cycle % 6, "in turn");
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
            case STORAGE -> cluster.cairn(COMMAND, "cluster", "storage", "stop", String.valueOf(t.number()));
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
            case STORAGE -> cluster.cairn(COMMAND, "cluster", "storage", "start", String.valueOf(t.number()));
            case LEADER -> {
                // nothing to undo: the new leader serves, and the active TN may pull the leadership back
            }
        }
    }
}
