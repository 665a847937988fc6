package io.cairn.log;

import java.util.List;

/**
 * The answer to {@link LogService#read(long, int)}.
 *
 * @param entries visible entries in LSN order (possibly empty)
 * @param nextLsn where the next read should start: one past the last log index examined, which
 *        may be past the last returned entry when invisible entries (configuration, rejected,
 *        truncate markers) were skipped
 */
public record LogBatch(List<LogEntry> entries, long nextLsn) {

    public LogBatch {
        entries = List.copyOf(entries);
    }
}
