package io.cairn.storage.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The typed, validated configuration of an {@link ErasureCodedStore}. Built with {@link #builder()};
 * {@link Builder#build()} checks everything once and names the bad property in its message.
 *
 * <p>Endpoint specs: {@code s3:http://host:port} (an S3/MinIO server; the bucket is {@link #bucket()}) or
 * {@code dir:/absolute/path} (a local directory). The number of endpoints must equal k + m.
 */
public record StoreConfig(List<String> endpoints, String accessKey, String secretKey, String bucket,
                          int dataShards, int parityShards, int stripeSize, Duration connectTimeout,
                          Duration requestTimeout, int maxAttempts, int maxConcurrentPerEndpoint,
                          long maxObjectSize, Duration orphanGrace) {

    /**
     * Bytes per shard chunk when no stripe size is given: the unit a chunk CRC covers, so the least a ranged get
     * reads from one shard. A checkpoint block (about 256 KiB) then costs at most three chunks' reads, in arrays
     * below the size G1 allocates as humongous objects at a 1 GiB heap (half a 1 MiB region).
     */
    public static final int DEFAULT_CHUNK_SIZE = 128 << 10;

    public StoreConfig {
        endpoints = List.copyOf(endpoints);
    }

    /** Write quorum: k + 1 when there is parity (as MinIO does), so a committed write survives one more loss than a read needs; k without parity. */
    public int writeQuorum() {
        return parityShards > 0 ? dataShards + 1 : dataShards;
    }

    /**
     * Bound on one health probe of one endpoint: twice the connect timeout (connect, then a small request),
     * and never more than connect + request timeout. Health checks must answer quickly even when an endpoint
     * accepts connections but does not answer (a paused process).
     */
    public Duration probeTimeout() {
        Duration twice = connectTimeout.multipliedBy(2);
        Duration full = connectTimeout.plus(requestTimeout);
        return twice.compareTo(full) < 0 ? twice : full;
    }

    /** Per-shard chunk of one stripe. */
    public int chunkSize() {
        return (stripeSize + dataShards - 1) / dataShards;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses a comma-separated endpoint list, trimming blanks. */
    public static List<String> parseEndpoints(String commaList) {
        List<String> out = new ArrayList<>();
        if (commaList != null) {
            for (String s : commaList.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "StoreConfig[endpoints=" + endpoints + ", bucket=" + bucket + ", k=" + dataShards + ", m="
                + parityShards + ", stripeSize=" + stripeSize + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", maxAttempts=" + maxAttempts
                + ", maxConcurrentPerEndpoint=" + maxConcurrentPerEndpoint + ", maxObjectSize=" + maxObjectSize
                + ", accessKey=" + (accessKey == null ? "null" : "***") + "]";
    }

    /** Mutable builder with the defaults documented in the module README. */
    public static final class Builder {
        private List<String> endpoints = List.of();
        private String accessKey;
        private String secretKey;
        private String bucket = "cairn";
        private int dataShards = 4;
        private int parityShards = 2;
        /** 0: k chunks of {@link #DEFAULT_CHUNK_SIZE}. */
        private int stripeSize;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxAttempts = 3;
        private int maxConcurrentPerEndpoint = 8;
        private long maxObjectSize = 256L << 20;
        private Duration orphanGrace = Duration.ofHours(1);

        public Builder endpoints(List<String> v) {
            endpoints = List.copyOf(v);
            return this;
        }

        public Builder endpoints(String commaList) {
            return endpoints(parseEndpoints(commaList));
        }

        public Builder accessKey(String v) {
            accessKey = v;
            return this;
        }

        public Builder secretKey(String v) {
            secretKey = v;
            return this;
        }

        public Builder bucket(String v) {
            bucket = v;
            return this;
        }

        public Builder dataShards(int v) {
            dataShards = v;
            return this;
        }

        public Builder parityShards(int v) {
            parityShards = v;
            return this;
        }

        /** Object bytes per stripe (k chunks); 0 (the default) means k × {@link #DEFAULT_CHUNK_SIZE}. */
        public Builder stripeSize(int v) {
            stripeSize = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        public Builder maxAttempts(int v) {
            maxAttempts = v;
            return this;
        }

        public Builder maxConcurrentPerEndpoint(int v) {
            maxConcurrentPerEndpoint = v;
            return this;
        }

        public Builder maxObjectSize(long v) {
            maxObjectSize = v;
            return this;
        }

        public Builder orphanGrace(Duration v) {
            orphanGrace = v;
            return this;
        }

        private static IllegalArgumentException bad(String property, Object value, String why) {
            return new IllegalArgumentException("storage config property '" + property + "' = '" + value + "': " + why);
        }

        public StoreConfig build() {
            if (dataShards < 1 || dataShards > 128) {
                throw bad("dataShards", dataShards, "must be 1..128");
            }
            if (parityShards < 0 || parityShards >= dataShards) {
                throw bad("parityShards", parityShards, "must be 0..dataShards-1 (k must be a majority of k+m,"
                        + " so that only one write of a key can hold k shards)");
            }
            if (endpoints.size() != dataShards + parityShards) {
                throw bad("endpoints", String.join(",", endpoints), "need exactly dataShards + parityShards = "
                        + (dataShards + parityShards) + " endpoints, got " + endpoints.size());
            }
            boolean anyS3 = false;
            for (String e : endpoints) {
                if (e.startsWith("s3:http://") || e.startsWith("s3:https://")) {
                    anyS3 = true;
                } else if (!e.startsWith("dir:") || e.length() == 4) {
                    throw bad("endpoints", e, "each endpoint must be s3:http(s)://host:port or dir:/path");
                }
            }
            if (endpoints.stream().distinct().count() != endpoints.size()) {
                throw bad("endpoints", String.join(",", endpoints), "endpoints must be distinct");
            }
            if (anyS3) {
                if (accessKey == null || accessKey.isBlank()) {
                    throw bad("accessKey", "", "required for s3 endpoints");
                }
                if (secretKey == null || secretKey.isBlank()) {
                    throw bad("secretKey", "***", "required for s3 endpoints");
                }
                Objects.requireNonNull(bucket, "bucket");
                if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                    throw bad("bucket", bucket, "not a valid S3 bucket name");
                }
            }
            int stripe = stripeSize == 0 ? dataShards * DEFAULT_CHUNK_SIZE : stripeSize;
            if (stripe < dataShards || stripe > (64 << 20)) {
                throw bad("stripeSize", stripeSize, "must be 0 (k x 128 KiB) or dataShards..64 MiB");
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw bad("connectTimeout", connectTimeout, "must be positive");
            }
            if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw bad("requestTimeout", requestTimeout, "must be positive");
            }
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw bad("maxAttempts", maxAttempts, "must be 1..10");
            }
            if (maxConcurrentPerEndpoint < 1 || maxConcurrentPerEndpoint > 256) {
                throw bad("maxConcurrentPerEndpoint", maxConcurrentPerEndpoint, "must be 1..256");
            }
            if (maxObjectSize < 0 || maxObjectSize > (1L << 30)) {
                throw bad("maxObjectSize", maxObjectSize, "must be 0..1 GiB (objects are coded in memory)");
            }
            if (orphanGrace == null || orphanGrace.isNegative()) {
                throw bad("orphanGrace", orphanGrace, "must be >= 0");
            }
            return new StoreConfig(endpoints, accessKey, secretKey, bucket, dataShards, parityShards, stripe,
                    connectTimeout, requestTimeout, maxAttempts, maxConcurrentPerEndpoint, maxObjectSize,
                    orphanGrace);
        }
    }
}
