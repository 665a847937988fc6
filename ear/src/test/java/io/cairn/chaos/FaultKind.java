package io.cairn.chaos;

import java.util.Locale;

/** The faults the suite injects, each one a {@code bin/cairn cluster} subcommand and its heal. */
enum FaultKind {
    /** SIGKILL of a server; healed by restarting it (its data kept). */
    KILL,
    /** SIGSTOP of a server; healed by SIGCONT. */
    PAUSE,
    /** A server cut off from the other servers on loopback; healed by removing the rules. */
    ISOLATE,
    /** One S3 endpoint of the six stopped (within the m = 2 parity shards); healed by starting it. */
    STORAGE,
    /** The log leadership moved to another peer; nothing to heal (the active TN pulls it back). */
    LEADER;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static FaultKind parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--fault: unknown fault '" + s + "' (kill, pause, isolate, storage, leader, mixed)");
        }
    }
}
