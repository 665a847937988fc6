package io.cairn.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The state folder of a bin/cairn cluster test, emptied before the test: data left by an earlier run
 * (of an older checkpoint format, say) must not decide whether this one passes. A server still running
 * from a crashed earlier run keeps its ports, and bin/cairn then refuses to start with a clear message.
 */
public final class FreshFolder {
    private FreshFolder() {
    }

    /** Deletes {@code dir} if it exists and creates it empty. */
    public static void recreate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
