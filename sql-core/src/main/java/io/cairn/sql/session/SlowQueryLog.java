package io.cairn.sql.session;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The slow query log: statements that ran longer than {@code long_query_time} while {@code slow_query_log} is
 * ON, appended to one file in MySQL's format, so that {@code mysqldumpslow} and pt-query-digest read it. Each
 * entry is written and flushed whole under a lock: entries of concurrent sessions never interleave. The file is
 * opened at the first entry; if it cannot be written, one warning is logged and entries are dropped until the
 * next start (a statement never fails because of its log). Thread-safe.
 */
public final class SlowQueryLog {
    private static final Logger LOG = Logger.getLogger(SlowQueryLog.class.getName());
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** One slow statement. {@code database}: the session's current one, or null. */
    record Entry(Instant started, String user, String host, long connectionId, long queryNanos, long rowsSent,
                 String database, String sql) {
    }

    private final Path file;
    private Writer out;
    private boolean failed;
    /** The database the last entry ran in: MySQL writes {@code use db;} only when it changes. */
    private String lastDatabase;

    public SlowQueryLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    synchronized void write(Entry e) {
        if (failed) {
            return;
        }
        StringBuilder b = new StringBuilder(256 + e.sql().length());
        b.append("# Time: ").append(TIME.format(e.started().plusNanos(e.queryNanos()))).append('\n');
        // MySQL's "user[user] @ host [ip]": a client address goes in the brackets, a name (localhost) before them
        boolean address = e.host().indexOf(':') >= 0 || e.host().chars().allMatch(ch -> ch == '.' || Character.isDigit(ch));
        b.append("# User@Host: ").append(e.user()).append('[').append(e.user()).append("] @ ")
                .append(address ? "" : e.host()).append(" [").append(address ? e.host() : "").append("]  Id: ").append(String.format(Locale.ROOT, "%5d", e.connectionId()))
                .append('\n');
        b.append(String.format(Locale.ROOT, "# Query_time: %.6f  Lock_time: %.6f Rows_sent: %d  Rows_examined: %d%n",
                e.queryNanos() / 1e9, 0.0, e.rowsSent(), 0L));
        if (e.database() != null && !e.database().equals(lastDatabase)) {
            b.append("use ").append(e.database()).append(";\n");
            lastDatabase = e.database();
        }
        b.append("SET timestamp=").append(e.started().getEpochSecond()).append(";\n");
        String sql = e.sql().strip();
        b.append(sql).append(sql.endsWith(";") ? "\n" : ";\n");
        try {
            if (out == null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            out.write(b.toString());
            out.flush();
        } catch (IOException ex) {
            failed = true;
            LOG.log(Level.WARNING, "CAIRN0504W: the slow query log " + file + " cannot be written; slow statements "
                    + "are not logged until the compute node restarts: " + ex.getMessage(), ex);
        }
    }

    /** Closes the file; a later entry opens it again. */
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing buffered is lost: every entry was flushed
            }
            out = null;
        }
    }
}
