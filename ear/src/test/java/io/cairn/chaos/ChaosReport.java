package io.cairn.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of a run per phase, written as report.md and report.json, and the summary line. */
final class ChaosReport {
    private final Map<String, Observations.Phase> phases;
    private final List<String> timeline;
    private final String command;

    ChaosReport(Observations obs, List<String> timeline, String command) {
        this.phases = obs.phases();
        this.timeline = List.copyOf(timeline);
        this.command = command;
    }

    int cycles() {
        return phases.values().stream().mapToInt(p -> p.cycles).sum();
    }

    long lost() {
        return phases.values().stream().mapToLong(p -> p.lost).sum();
    }

    /** Invariant violations, duplicate rows and phantom rows together. */
    long violations() {
        return phases.values().stream().mapToLong(p -> p.violations.size() + p.duplicates + p.phantoms).sum();
    }

    double rtoP99() {
        List<Double> all = new ArrayList<>();
        phases.values().forEach(p -> all.addAll(p.rtoSeconds));
        return percentile(all, 99);
    }

    /** {@code chaos cycles=<n> lost=<n> violations=<n> rto-p99-s=<x>} */
    String summary() {
        return String.format(Locale.ROOT, "chaos cycles=%d lost=%d violations=%d rto-p99-s=%.2f", cycles(), lost(),
                violations(), rtoP99());
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), markdown());
        Files.writeString(dir.resolve("report.json"), json());
    }

    private String markdown() {
        StringBuilder b = new StringBuilder("# Chaos run\n\n`" + command + "`\n\n");
        b.append("| phase | cycles | RTO p50 s | RTO p99 s | RTO max s | acknowledged | lost | violations | duplicates "
                + "| phantoms | unknown → committed / not | client errors (code/SQLSTATE: n) |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Observations.Phase> e : phases.entrySet()) {
            Observations.Phase p = e.getValue();
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %d | %d | %d | %d | %d | %d / %d | %s |%n",
                    e.getKey(), p.cycles, seconds(percentile(p.rtoSeconds, 50)), seconds(percentile(p.rtoSeconds, 99)),
                    seconds(percentile(p.rtoSeconds, 100)), p.acknowledged, p.lost, p.violations.size(), p.duplicates,
                    p.phantoms, p.unknownCommitted, p.unknownNotCommitted, p.errors.entrySet().stream()
                            .map(x -> x.getKey() + ": " + x.getValue()).collect(Collectors.joining(", "))));
        }
        b.append("\nPhase `steady`: outside any fault. RTO: fault → first acknowledged commit that began after it.\n");
        b.append("\n## First message per client error\n\n");
        phases.forEach((k, p) -> p.errorSamples.forEach((code, message) ->
                b.append("- ").append(k).append(' ').append(code).append(": ").append(message).append('\n')));
        List<String> violations = new ArrayList<>();
        phases.forEach((k, p) -> p.violations.forEach(v -> violations.add("[" + k + "] " + v)));
        if (!violations.isEmpty()) {
            b.append("\n## Violations\n\n");
            violations.forEach(v -> b.append("- ").append(v).append('\n'));
        }
        b.append("\n## Timeline\n\n```\n");
        timeline.forEach(t -> b.append(t).append('\n'));
        b.append("```\n\n").append(summary()).append('\n');
        return b.toString();
    }

    private String json() {
        StringBuilder b = new StringBuilder("{\n  \"command\": " + quote(command) + ",\n  \"phases\": {");
        String sep = "\n";
        for (Map.Entry<String, Observations.Phase> e : phases.entrySet()) {
            Observations.Phase p = e.getValue();
            b.append(sep).append("    ").append(quote(e.getKey())).append(": {")
                    .append("\"cycles\": ").append(p.cycles)
                    .append(", \"rtoSeconds\": ").append(p.rtoSeconds.stream().map(ChaosReport::number)
                            .collect(Collectors.joining(", ", "[", "]")))
                    .append(", \"rtoP50\": ").append(number(percentile(p.rtoSeconds, 50)))
                    .append(", \"rtoP99\": ").append(number(percentile(p.rtoSeconds, 99)))
                    .append(", \"rtoMax\": ").append(number(percentile(p.rtoSeconds, 100)))
                    .append(", \"acknowledged\": ").append(p.acknowledged)
                    .append(", \"lost\": ").append(p.lost)
                    .append(", \"violations\": ").append(p.violations.stream().map(ChaosReport::quote)
                            .collect(Collectors.joining(", ", "[", "]")))
                    .append(", \"duplicates\": ").append(p.duplicates)
                    .append(", \"phantoms\": ").append(p.phantoms)
                    .append(", \"unknownCommitted\": ").append(p.unknownCommitted)
                    .append(", \"unknownNotCommitted\": ").append(p.unknownNotCommitted)
                    .append(", \"errors\": ").append(p.errors.entrySet().stream()
                            .map(x -> quote(x.getKey()) + ": " + x.getValue()).collect(Collectors.joining(", ", "{", "}")))
                    .append('}');
            sep = ",\n";
        }
        b.append("\n  },\n  \"cycles\": ").append(cycles()).append(", \"lost\": ").append(lost())
                .append(", \"violations\": ").append(violations()).append(", \"rtoP99\": ").append(number(rtoP99()))
                .append("\n}\n");
        return b.toString();
    }

    /** Nearest-rank percentile; NaN without samples. */
    static double percentile(List<Double> samples, int p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "–" : String.format(Locale.ROOT, "%.2f", s);
    }

    private static String number(double s) {
        return Double.isNaN(s) ? "null" : String.format(Locale.ROOT, "%.3f", s);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return b.append('"').toString();
    }
}
