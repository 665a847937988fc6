package io.cairn.storage.testing;

import io.cairn.node.testing.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Real S3 endpoints for tests: in-process S3Proxy servers over jclouds' {@code filesystem} provider, each on a
 * free loopback port with its own temporary directory. Each can be stopped and restarted (same port, same
 * files), and its files are reachable for corruption tests.
 *
 * <pre>{@code
 * try (S3Endpoints s3 = S3Endpoints.builder().count(6).build()) { ... s3.stop(2); ... s3.start(2); }
 * }</pre>
 */
public final class S3Endpoints implements AutoCloseable {
    public static final String ACCESS_KEY = "cairn-test";
    public static final String SECRET_KEY = "cairn-test-secret";
    public static final String BUCKET = "cairn";

    private final Path base;
    private final List<Node> nodes = new ArrayList<>();

    private static final class Node {
        final Path dir;
        final BlobStoreContext context;
        int port;
        S3Proxy proxy;

        Node(Path dir, BlobStoreContext context) {
            this.dir = dir;
            this.context = context;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code count} endpoints (default 6). */
    public static final class Builder {
        private int count = 6;

        public Builder count(int v) {
            count = v;
            return this;
        }

        public S3Endpoints build() {
            return new S3Endpoints(count);
        }
    }

    private S3Endpoints(int count) {
        try {
            base = Files.createTempDirectory("cairn-s3-");
            for (int i = 0; i < count; i++) {
                Path dir = Files.createDirectories(base.resolve("s3-" + i));
                Properties p = new Properties();
                p.setProperty("jclouds.filesystem.basedir", dir.toString());
                p.setProperty("jclouds.identity", ACCESS_KEY);
                p.setProperty("jclouds.credential", SECRET_KEY);
                BlobStoreContext ctx = ContextBuilder.newBuilder("filesystem").overrides(p)
                        .build(BlobStoreContext.class);
                nodes.add(new Node(dir, ctx));
                start(i);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public int count() {
        return nodes.size();
    }

    public String url(int i) {
        return "http://127.0.0.1:" + nodes.get(i).port;
    }

    /** Endpoint specs for the store config: {@code s3:http://127.0.0.1:PORT}. */
    public List<String> specs() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            out.add("s3:" + url(i));
        }
        return out;
    }

    public boolean isRunning(int i) {
        return nodes.get(i).proxy != null;
    }

    /** Starts (or restarts on its former port) endpoint i; returns once it accepts requests. */
    public synchronized void start(int i) {
        Node node = nodes.get(i);
        if (node.proxy != null) {
            return;
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(node.context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + node.port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .jettyMaxThreads(24)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy " + i + " failed to start", e);
        }
        Wait.until("S3Proxy " + i + " started", Duration.ofSeconds(30), () -> "STARTED".equals(proxy.getState()));
        node.port = proxy.getPort();
        node.proxy = proxy;
    }

    /** Stops endpoint i: its port refuses connections until {@link #start(int)}. */
    public synchronized void stop(int i) {
        Node node = nodes.get(i);
        if (node.proxy == null) {
            return;
        }
        try {
            node.proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy " + i + " failed to stop", e);
        } finally {
            node.proxy = null;
        }
    }

    /** The file that holds {@code objectName} (e.g. {@code meta/abc}) on endpoint i. */
    public Path objectFile(int i, String objectName) {
        return nodes.get(i).dir.resolve(BUCKET).resolve(objectName);
    }

    /** Files under {@code namespace/} on endpoint i whose name starts with {@code prefix}. */
    public List<Path> files(int i, String namespace, String prefix) {
        Path dir = nodes.get(i).dir.resolve(BUCKET).resolve(namespace);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (int i = 0; i < nodes.size(); i++) {
            try {
                stop(i);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
            nodes.get(i).context.close();
        }
        if (base != null) {
            try (Stream<Path> s = Files.walk(base)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                if (first == null) {
                    first = new UncheckedIOException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
