package io.cairn.admin;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The admin audit log: one {@link AuditEntry} line per mutating admin call and per refused call, written
 * through the JUL logger {@code io.cairn.audit} to its own file, {@code cairn.admin.audit.file} (default
 * {@code logs/audit.log} in the server's output folder), appended to and never rotated by the server. The
 * lines do not go to {@code messages.log}; if the file cannot be opened they do (with a warning), so
 * nothing is lost silently. Thread-safe ({@link FileHandler} serialises writes).
 */
@ApplicationScoped
public class AuditLog {
    static final String FILE = "cairn.admin.audit.file";
    static final String LOGGER = "io.cairn.audit";
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    @Inject
    Config config;

    private final Logger audit = Logger.getLogger(LOGGER);
    private FileHandler file;

    @PostConstruct
    void open() {
        Optional<String> path = config.getOptionalValue(FILE, String.class).filter(s -> !s.isBlank());
        if (path.isEmpty()) {
            return;
        }
        try {
            Path p = Path.of(path.get()).toAbsolutePath();
            Files.createDirectories(p.getParent());
            // FileHandler reads '%' in its pattern as a placeholder; '%%' is a literal '%'.
            file = new FileHandler(p.toString().replace("%", "%%"), true);
            file.setFormatter(new LineFormatter());
            audit.addHandler(file);
            audit.setUseParentHandlers(false);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "CAIRN0901W the audit file " + path.get() + " cannot be written (" + e
                    + "); audit lines go to the server's log instead");
        }
    }

    @PreDestroy
    void close() {
        if (file != null) {
            audit.removeHandler(file);
            audit.setUseParentHandlers(true);
            file.close();
        }
    }

    public void record(AuditEntry entry) {
        audit.info(entry.format());
    }

    /** The message alone: the entry carries its own time. */
    private static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            return record.getMessage() + System.lineSeparator();
        }
    }
}
