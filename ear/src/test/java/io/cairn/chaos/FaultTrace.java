package io.cairn.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every client operation during one fault, with its times relative to the fault and its answer, written
 * to {@code trace.txt} when the cycle ends: what a slow recovery is read from (which clients were held,
 * by which proxy, with which error, and when the first of them got through). Thread-safe.
 */
final class FaultTrace {
    /**
     * Successful operations kept per cycle (a long-held fault with many clients would otherwise write
     * megabytes); failed ones are all kept, up to as many again.
     */
    private static final int MAX_LINES = 3000;

    private final Path file;
    private final List<String> lines = new ArrayList<>();
    private long faultNanos;
    private boolean active;
    private int omitted;

    FaultTrace(Path file) {
        this.file = file;
    }

    /** The fault of this cycle is in effect from {@code nanos} on. */
    synchronized void begin(long nanos) {
        lines.clear();
        omitted = 0;
        faultNanos = nanos;
        active = true;
    }

    /**
     * One operation of a client: began and ended at these {@link System#nanoTime()}s, through {@code proxy},
     * with {@code error} or null for success.
     */
    synchronized void op(String client, String proxy, long began, long ended, SQLException error) {
        if (!active) {
            return;
        }
        if (lines.size() >= (error == null ? MAX_LINES : 2 * MAX_LINES)) {
            omitted++;
            return;
        }
        lines.add(String.format("%+9.3f %+9.3f %-11s %-21s %s", (began - faultNanos) / 1e9, (ended - faultNanos) / 1e9,
                client, proxy, error == null ? "ok" : Client.describe(error)));
    }

    /** The cycle ended: its operations go to the file under {@code heading}. */
    synchronized void end(String heading) throws IOException {
        active = false;
        if (file == null) {
            return;
        }
        StringBuilder out = new StringBuilder("## ").append(heading).append('\n')
                .append("#  began(s) ended(s)  client      proxy                 answer (times from the fault)\n");
        lines.forEach(l -> out.append(l).append('\n'));
        if (omitted > 0) {
            out.append("# ").append(omitted).append(" more operations not kept\n");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        lines.clear();
    }
}
