package io.cairn.storage.impl;

import io.cairn.storage.testing.S3Endpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds stores for tests, with short timeouts so that failures are quick. */
public final class TestStores {
    private TestStores() {
    }

    public static StoreConfig.Builder testConfig(int k, int m) {
        return StoreConfig.builder().dataShards(k).parityShards(m).stripeSize(64 * 1024)
                .connectTimeout(Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(10)).maxAttempts(2)
                .maxConcurrentPerEndpoint(4).accessKey(S3Endpoints.ACCESS_KEY).secretKey(S3Endpoints.SECRET_KEY)
                .bucket(S3Endpoints.BUCKET);
    }

    public static CallPolicy testPolicy(StoreConfig c) {
        return new CallPolicy(c.maxAttempts(), Duration.ofMillis(5), c.maxConcurrentPerEndpoint(),
                Duration.ofSeconds(5), Duration.ofMillis(500), c.requestTimeout().plus(c.connectTimeout()),
                System::nanoTime, d -> Thread.sleep(d.toMillis())); // real backoff: these stores call real servers
    }

    public static ErasureCodedStore dirs(Path root, int k, int m) throws IOException {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < k + m; i++) {
            specs.add("dir:" + root.resolve("d" + i));
        }
        return open(testConfig(k, m).endpoints(specs).build(), Clock.systemUTC());
    }

    public static ErasureCodedStore s3(S3Endpoints s3, int k, int m) {
        return open(testConfig(k, m).endpoints(s3.specs()).build(), Clock.systemUTC());
    }

    public static ErasureCodedStore open(StoreConfig c, Clock clock) {
        List<Endpoint> eps = new ArrayList<>();
        try {
            for (String spec : c.endpoints()) {
                eps.add(ErasureCodedStore.openEndpoint(spec, c));
            }
        } catch (IOException e) {
            eps.forEach(Endpoint::close);
            throw new java.io.UncheckedIOException(e);
        }
        return new ErasureCodedStore(c, eps, testPolicy(c), clock);
    }
}
