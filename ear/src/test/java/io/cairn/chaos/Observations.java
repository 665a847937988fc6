package io.cairn.chaos;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the run saw, per phase (a fault kind while that fault is injected or healing, else
 * {@code steady}): client errors by code, RTO samples, lost acknowledged commits, invariant
 * violations, duplicate and phantom rows. Workers report from many threads; everything is thread-safe.
 */
final class Observations {
    static final String STEADY = "steady";
    /** The write conflict a transaction of the workloads may meet at any time (ER_LOCK_DEADLOCK). */
    private static final int WRITE_CONFLICT = 1213;

    /** Counters of one phase. */
    static final class Phase {
        final Map<String, Long> errors = new TreeMap<>();
        /** The first message seen per error code, as evidence. */
        final Map<String, String> errorSamples = new TreeMap<>();
        final List<Double> rtoSeconds = new ArrayList<>();
        final List<String> violations = new ArrayList<>();
        int cycles;
        long acknowledged;
        long unknownCommitted;
        long unknownNotCommitted;
        long lost;
        long duplicates;
        long phantoms;
    }

    private final Map<String, Phase> phases = new ConcurrentHashMap<>();
    private volatile String phase = STEADY;
    private volatile long faultAtNanos = Long.MAX_VALUE;
    private final AtomicLong firstCommitAfterFault = new AtomicLong();

    /** The phase now: what an acknowledgement or an error is attributed to. */
    String phase() {
        return phase;
    }

    /** A fault of {@code kind} is being injected: errors and acknowledgements count towards it from now. */
    void faultInjecting(FaultKind kind) {
        phase = kind.label();
        synchronized (this) {
            phase(kind.label()).cycles++;
        }
    }

    /**
     * The fault is in effect (its command returned): RTO counts from here, so only commits that began
     * under the fault count.
     */
    void faultInEffect() {
        firstCommitAfterFault.set(0);
        faultAtNanos = System.nanoTime();
    }

    /** The fault is healed and the cluster recovered: back to steady state. */
    void recovered() {
        phase = STEADY;
        faultAtNanos = Long.MAX_VALUE;
    }

    /** An operation of a client begins now. */
    Attempt begin() {
        return new Attempt(phase, System.nanoTime());
    }

    /** An operation's commit was acknowledged to its client: counted in its phase and toward the RTO. */
    void acknowledged(Attempt attempt) {
        acknowledged(attempt.phase());
        committed(attempt.startNanos());
    }

    /** A commit acknowledged to a client; {@code startNanos} is when its transaction began. */
    private void committed(long startNanos) {
        if (startNanos >= faultAtNanos) {
            firstCommitAfterFault.compareAndSet(0, System.nanoTime());
        }
    }

    /** Seconds from the fault to the first commit that began after it, or -1 while there is none. */
    double rtoSeconds() {
        long at = firstCommitAfterFault.get();
        return at == 0 ? -1 : (at - faultAtNanos) / 1e9;
    }

    synchronized void rto(FaultKind kind, double seconds) {
        phase(kind.label()).rtoSeconds.add(seconds);
    }

    synchronized void error(SQLException e) {
        String key = e.getErrorCode() + "/" + e.getSQLState();
        String label = phase;
        Phase p = phase(label);
        p.errors.merge(key, 1L, Long::sum);
        p.errorSamples.putIfAbsent(key, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        // losing storage endpoints within the parity count must not show: only the workload's own write
        // conflicts (1213, as in steady state) may reach a client meanwhile
        if (label.equals(FaultKind.STORAGE.label()) && e.getErrorCode() != WRITE_CONFLICT) {
            violation(label, "client error while storage endpoints were down: " + Client.describe(e));
        }
    }

    synchronized void violation(String phaseLabel, String what) {
        phase(phaseLabel).violations.add(what);
        System.out.println("chaos: VIOLATION [" + phaseLabel + "] " + what);
    }

    private synchronized void acknowledged(String phaseLabel) {
        phase(phaseLabel).acknowledged++;
    }

    synchronized void lost(String phaseLabel, String what) {
        phase(phaseLabel).lost++;
        System.out.println("chaos: LOST [" + phaseLabel + "] " + what);
    }

    synchronized void unknownResolved(String phaseLabel, boolean committed) {
        if (committed) {
            phase(phaseLabel).unknownCommitted++;
        } else {
            phase(phaseLabel).unknownNotCommitted++;
        }
    }

    synchronized void duplicate(String phaseLabel, String what) {
        phase(phaseLabel).duplicates++;
        System.out.println("chaos: DUPLICATE [" + phaseLabel + "] " + what);
    }

    synchronized void phantom(String phaseLabel, String what) {
        phase(phaseLabel).phantoms++;
        System.out.println("chaos: PHANTOM [" + phaseLabel + "] " + what);
    }

    /** The phases by label, for the report (read after the workers stopped). */
    synchronized Map<String, Phase> phases() {
        return new TreeMap<>(phases);
    }

    private Phase phase(String label) {
        return phases.computeIfAbsent(label, l -> new Phase());
    }
}
