package io.cairn.storage.bench;

import io.cairn.storage.impl.ErasureCodedStore;
import io.cairn.storage.impl.ReedSolomon;
import io.cairn.storage.impl.StoreConfig;
import io.cairn.storage.testing.S3Endpoints;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Storage benchmark (not a test): 4 MiB objects through the 4+2 erasure-coded store over six S3Proxy
 * endpoints vs plain single-endpoint puts/gets with the MinIO SDK on a seventh, in the same run; plus raw
 * Reed-Solomon encode/decode throughput. One object at a time (latency-bound, like a checkpoint writer).
 *
 * <pre>mvn -q -pl storage-connector test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.cairn.storage.bench.StorageBench</pre>
 *
 * Optional system properties: {@code bench.objects} (default 24), {@code bench.rounds} (default 3).
 */
public final class StorageBench {
    private static final int SIZE = 4 << 20;

    private StorageBench() {
    }

    public static void main(String[] args) throws Exception {
        int objects = Integer.getInteger("bench.objects", 24);
        int rounds = Integer.getInteger("bench.rounds", 3);
        java.util.logging.LogManager.getLogManager().reset(); // keep the output to the figures
        byte[][] payloads = new byte[objects][SIZE];
        Random rnd = new Random(1);
        for (byte[] p : payloads) {
            rnd.nextBytes(p);
        }
        codec(payloads[0]);
        try (S3Endpoints s3 = S3Endpoints.builder().count(7).build()) {
            List<String> specs = s3.specs();
            StoreConfig cfg = StoreConfig.builder().endpoints(specs.subList(0, 6))
                    .accessKey(S3Endpoints.ACCESS_KEY).secretKey(S3Endpoints.SECRET_KEY)
                    .bucket(S3Endpoints.BUCKET).build();
            try (ErasureCodedStore ec = ErasureCodedStore.open(cfg);
                 MinioClient plain = MinioClient.builder().endpoint(s3.url(6)).region("us-east-1")
                         .credentials(S3Endpoints.ACCESS_KEY, S3Endpoints.SECRET_KEY).build()) {
                plain.makeBucket(MakeBucketArgs.builder().bucket(S3Endpoints.BUCKET).build());
                double[] best = new double[4]; // plainPut, ecPut, plainGet, ecGet (MB/s, best round)
                for (int r = 0; r <= rounds; r++) { // round 0 warms up the JIT and connections
                    String tag = "r" + r + "/";
                    double pp = mbps(objects, () -> {
                        for (int i = 0; i < objects; i++) {
                            plain.putObject(PutObjectArgs.builder().bucket(S3Endpoints.BUCKET).object(tag + i)
                                    .stream(new ByteArrayInputStream(payloads[i]), SIZE, -1).build());
                        }
                    });
                    double ep = mbps(objects, () -> {
                        for (int i = 0; i < objects; i++) {
                            ec.put(tag + i, payloads[i]);
                        }
                    });
                    double pg = mbps(objects, () -> {
                        for (int i = 0; i < objects; i++) {
                            try (GetObjectResponse resp = plain.getObject(GetObjectArgs.builder()
                                    .bucket(S3Endpoints.BUCKET).object(tag + i).build())) {
                                check(resp.readAllBytes(), payloads[i]);
                            }
                        }
                    });
                    double eg = mbps(objects, () -> {
                        for (int i = 0; i < objects; i++) {
                            check(ec.get(tag + i), payloads[i]);
                        }
                    });
                    System.out.printf("round %d%s: plain put %.1f MB/s, ec put %.1f MB/s, plain get %.1f MB/s, "
                            + "ec get %.1f MB/s%n", r, r == 0 ? " (warm-up)" : "", pp, ep, pg, eg);
                    if (r > 0) {
                        best[0] = Math.max(best[0], pp);
                        best[1] = Math.max(best[1], ep);
                        best[2] = Math.max(best[2], pg);
                        best[3] = Math.max(best[3], eg);
                    }
                }
                System.out.printf("best of %d rounds x %d objects of 4 MiB: plain put %.1f, ec 4+2 put %.1f, "
                        + "plain get %.1f, ec 4+2 get %.1f MB/s%n", rounds, objects, best[0], best[1], best[2], best[3]);
                System.out.printf("storage ec-put-vs-plain=%.2f ec-get-vs-plain=%.2f%n", best[1] / best[0],
                        best[3] / best[2]);
            }
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static double mbps(int objects, Body body) throws Exception {
        long t0 = System.nanoTime();
        body.run();
        double secs = (System.nanoTime() - t0) / 1e9;
        return objects * (double) SIZE / 1e6 / secs;
    }

    private static void check(byte[] got, byte[] expected) {
        if (!Arrays.equals(got, expected)) {
            throw new IllegalStateException("read back different bytes");
        }
    }

    /** Raw Reed-Solomon 4+2 on one 4 MiB object (1 MiB shards). */
    private static void codec(byte[] object) {
        ReedSolomon rs = new ReedSolomon(4, 2);
        int len = SIZE / 4;
        byte[][] shards = new byte[6][len];
        for (int j = 0; j < 4; j++) {
            System.arraycopy(object, j * len, shards[j], 0, len);
        }
        for (int i = 0; i < 20; i++) { // warm-up
            rs.encodeParity(shards, 0, len);
        }
        int reps = 50;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            rs.encodeParity(shards, 0, len);
        }
        double enc = reps * (double) SIZE / 1e6 / ((System.nanoTime() - t0) / 1e9);
        boolean[] present = {false, true, false, true, true, true}; // two data shards lost
        t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            rs.reconstruct(shards, present, 0, len);
        }
        double dec = reps * (double) SIZE / 1e6 / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("reed-solomon 4+2: encode %.0f MB/s, decode (2 data shards lost) %.0f MB/s (of object data)%n",
                enc, dec);
    }
}
