package io.cairn.mysql.fuzz;

import io.cairn.mysql.fuzz.FuzzCase.Category;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What one fuzz run did and found. Thread-safe (watchers report from their own threads). */
public final class FuzzReport {
    /** One finding, with what it takes to replay its case. */
    public record Finding(Category category, FuzzKind kind, long seed, String detail) {
        @Override
        public String toString() {
            return kind == null ? category + " (the run): " + detail
                    : category + " " + kind + " (replay: -D" + WireFuzzer.REPLAY + "=" + kind + ":" + seed + "): " + detail;
        }
    }

    private final String target;
    private final long seed;
    private final Map<FuzzKind, AtomicInteger> perKind = new EnumMap<>(FuzzKind.class);
    private final List<Finding> findings = new CopyOnWriteArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicInteger cases = new AtomicInteger();
    private final AtomicInteger livenessChecks = new AtomicInteger();
    private volatile long millis;

    FuzzReport(String target, long seed) {
        this.target = target;
        this.seed = seed;
        for (FuzzKind k : FuzzKind.values()) {
            perKind.put(k, new AtomicInteger());
        }
    }

    void ran(FuzzKind kind, int connectionsOpened) {
        perKind.get(kind).incrementAndGet();
        cases.incrementAndGet();
        connections.addAndGet(connectionsOpened);
    }

    void livenessChecked() {
        livenessChecks.incrementAndGet();
    }

    void add(Finding f) {
        String d = f.detail();
        findings.add(d.length() <= 400 ? f : new Finding(f.category(), f.kind(), f.seed(), d.substring(0, 400) + "…"));
    }

    void finished(long elapsedMillis) {
        millis = elapsedMillis;
    }

    public long seed() {
        return seed;
    }

    public int cases() {
        return cases.get();
    }

    /** How many kinds ran at least once. */
    public int kinds() {
        return (int) perKind.values().stream().filter(n -> n.get() > 0).count();
    }

    public int count(Category category) {
        return (int) findings.stream().filter(f -> f.category() == category).count();
    }

    public List<Finding> findings() {
        return new ArrayList<>(findings);
    }

    public long connections() {
        return connections.get();
    }

    public long millis() {
        return millis;
    }

    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append("wire fuzz of ").append(target).append(": seed ").append(seed).append(", ").append(cases())
                .append(" cases of ").append(kinds()).append(" kinds, ").append(connections()).append(" connections, ")
                .append(livenessChecks.get()).append(" liveness checks, ").append(millis / 1000.0).append(" s\n");
        Map<Category, Integer> counts = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            counts.put(c, count(c));
        }
        b.append("  findings: ").append(counts).append('\n');
        b.append("  cases per kind:");
        perKind.forEach((k, n) -> b.append(' ').append(k).append('=').append(n.get()));
        b.append('\n');
        // one line per category and kind: how many, and the first as an example to replay
        Map<String, List<Finding>> groups = new java.util.LinkedHashMap<>();
        for (Finding f : findings) {
            groups.computeIfAbsent(f.category() + " " + f.kind(), k -> new ArrayList<>()).add(f);
        }
        groups.forEach((group, list) -> b.append("  ").append(list.size()).append("× ").append(list.get(0))
                .append('\n'));
        b.append("  replay the run: -D").append(WireFuzzer.SEED).append('=').append(seed).append('\n');
        return b.toString();
    }

    /** Fails with the summary when anything was found. */
    public void assertClean() {
        if (!findings.isEmpty()) {
            throw new AssertionError(summary());
        }
    }
}
