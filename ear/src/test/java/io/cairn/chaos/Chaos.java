package io.cairn.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/cairn chaos}: runs {@link ChaosRun} against a running local cluster and writes its report.
 * Options: {@code --cairn PATH --var DIR --offset N} (given by bin/cairn), {@code --cycles N} (default 5),
 * {@code --fault kill|pause|isolate|storage|leader|mixed} (default mixed: the kinds in turn),
 * {@code --seconds S} (how long each fault is held, default 10), {@code --out DIR}, {@code --seed N}.
 * {@code DIR/trace.txt} lists every client operation during each fault ({@link FaultTrace}).
 * Creating {@code DIR/STOP} ends a run early but cleanly: no further cycle starts, the final checks run
 * and the report covers the cycles done.
 * Exit status 0 when nothing was lost and no invariant was violated; the last line is the summary.
 */
public final class Chaos {
    private Chaos() {
    }

    public static void main(String[] args) throws Exception {
        Path cairn = null;
        Path var = null;
        Path out = null;
        int offset = 0;
        int cycles = 5;
        long seed = System.currentTimeMillis();
        String fault = "mixed";
        int seconds = 10;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + ": a value is missing");
            }
            switch (args[i++]) {
                case "--cairn" -> cairn = Path.of(value);
                case "--var" -> var = Path.of(value);
                case "--offset" -> offset = Integer.parseInt(value);
                case "--cycles" -> cycles = Integer.parseInt(value);
                case "--fault" -> fault = value;
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]
                        + " (--cycles N, --fault KIND, --seconds S, --out DIR, --seed N)");
            }
        }
        if (cairn == null || var == null || out == null) {
            throw new IllegalArgumentException("--cairn, --var and --out are required (bin/cairn chaos passes them)");
        }
        List<FaultKind> faults = "mixed".equals(fault) ? Arrays.asList(FaultKind.values()) : List.of(FaultKind.parse(fault));
        String command = String.format("bin/cairn chaos --cycles %d --fault %s --seconds %d (seed %d)", cycles, fault, seconds, seed);
        ChaosRun run = new ChaosRun(new CairnCluster(cairn, var, offset, 3, Map.of()), faults, cycles, Duration.ofSeconds(seconds), seed)
                .stopWhenExists(out.resolve("STOP")).traceTo(out.resolve("trace.txt"));
        int status = 0;
        try {
            run.run();
        } catch (Exception e) {
            System.out.println("chaos: the run stopped early: " + e);
            status = 2;
        } finally {
            ChaosReport report = new ChaosReport(run.observations(), run.timeline(), command);
            report.write(out);
            System.out.println("chaos: report in " + out.resolve("report.md") + " and report.json");
            System.out.println(report.summary());
            System.exit(status != 0 ? status : report.lost() == 0 && report.violations() == 0 ? 0 : 1);
        }
    }
}
