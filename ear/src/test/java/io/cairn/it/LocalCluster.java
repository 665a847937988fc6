package io.cairn.it;

import io.cairn.chaos.FreshFolder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The 3-server cluster that {@code bin/cairn cluster up} starts (six S3Proxy endpoints, the cluster PKI), shared
 * by the cluster ITs of one test JVM ({@code @ExtendWith(LocalCluster.class)}): the first class that needs it
 * starts it, and it goes down once every test of the JVM has run. A class may kill and restart servers, but
 * leaves every server and endpoint running. Ports offset by 1000, so a Cairn on this machine is not disturbed.
 */
public final class LocalCluster implements BeforeAllCallback {
    static final Path REPO = Path.of(System.getProperty("cairn.repo", "..")).toAbsolutePath().normalize();
    static final Path VAR = REPO.resolve("ear/target/cluster-it");
    static final int OFFSET = 1000;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    }

    /** Runs {@code bin/cairn args} against the shared cluster. */
    static void cairn(Duration timeout, String... args) throws Exception {
        BinCairn.run(REPO, VAR, OFFSET, timeout, args);
    }

    /** The running cluster, as a resource of the root context: JUnit closes it after the last test. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        static Running start() {
            try {
                FreshFolder.recreate(VAR);
                cairn(Duration.ofMinutes(5), "cluster", "up", "--servers", "3");
                return new Running();
            } catch (Exception e) {
                throw new IllegalStateException("bin/cairn cluster up failed", e);
            }
        }

        @Override
        public void close() throws Exception {
            cairn(Duration.ofMinutes(2), "cluster", "down");
        }
    }
}
