package io.cairn.txn.backup;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * A {@link BackupTarget} in an S3 bucket, under a prefix ({@link S3Location}), through the MinIO Java SDK: each name
 * is the object {@code PREFIX + name}. An object exists only whole (a PUT, or a multipart upload's completion, is
 * atomic: {@link S3Upload}); reads stream the object's body; listings ask for a prefix.
 *
 * <p>One HTTP client per target, with explicit timeouts and idle connections dropped before servers drop them (as
 * the storage connector's {@code S3Endpoint} does); {@link #close()} shuts it down. Thread-safe.
 */
final class S3Target implements BackupTarget {
    /** Each part of a multipart upload but the last: S3 wants 5 MiB at least; 10 000 parts make files of 160 GiB. */
    static final int PART_BYTES = 16 << 20;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    /** Less than servers keep an idle connection (S3Proxy's Jetty 30 s, AWS about 20 s). */
    private static final int IDLE_KEEP_SECONDS = 15;
    private static final String DEFAULT_REGION = "us-east-1";

    private final S3Location location;
    private final OkHttpClient http;
    private final MinioAsyncClient s3;
    /** Whether writes may go ahead: the bucket exists, or it is not this target's to make. */
    private boolean bucketReady;

    private S3Target(S3Location location, S3Credentials credentials, boolean create) {
        this.location = location;
        this.bucketReady = !create;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .protocols(List.of(Protocol.HTTP_1_1))
                .connectionPool(new ConnectionPool(4, IDLE_KEEP_SECONDS, TimeUnit.SECONDS))
                .build();
        MinioAsyncClient.Builder builder = MinioAsyncClient.builder().endpoint(location.endpoint())
                .credentials(credentials.accessKey(), credentials.secretKey()).httpClient(http);
        String region = credentials.region() != null ? credentials.region() : location.aws() ? null : DEFAULT_REGION;
        if (region != null) {
            builder.region(region);
        }
        this.s3 = builder.build();
    }

    /**
     * The target at {@code location}. Nothing is asked of the server yet: a server that cannot be reached, or refuses
     * the keys, fails the first call (so that the log archive starts, and catches up, while S3 is away).
     *
     * @param create make the bucket, if it does not exist, before the first call (where a backup or the archive
     *               goes); otherwise a missing bucket fails every call
     */
    static S3Target connect(S3Location location, S3Credentials credentials, boolean create) {
        return new S3Target(location, credentials, create);
    }

    /** Makes the bucket if it does not exist and this target is to make it, once. */
    private synchronized void ensureBucket() throws IOException {
        if (bucketReady) {
            return;
        }
        String bucket = location.bucket();
        if (!await(() -> s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()), "find bucket", bucket)) {
            try {
                await(() -> s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build()), "make bucket", bucket);
            } catch (IOException e) { // made by another writer meanwhile?
                if (!await(() -> s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()), "find bucket", bucket)) {
                    throw e;
                }
            }
        }
        bucketReady = true;
    }

    private String key(String name) {
        return location.prefix() + TargetNames.check(name);
    }

    @Override
    public long write(String name, StreamWriter writer) throws IOException {
        ensureBucket();
        try (S3Upload upload = new S3Upload(s3, location.bucket(), key(name), PART_BYTES)) {
            writer.writeTo(upload);
            return upload.complete();
        }
    }

    @Override
    public InputStream read(String name) throws IOException {
        ensureBucket();
        String key = key(name);
        return await(() -> s3.getObject(GetObjectArgs.builder().bucket(location.bucket()).object(key).build()), "read", key);
    }

    @Override
    public <T> T readAsFile(String name, FileUser<T> user) throws IOException {
        Path copy = Files.createTempFile("cairn-backup-", ".download");
        try {
            try (InputStream in = read(name)) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return user.use(copy);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    @Override
    public long size(String name) throws IOException {
        ensureBucket();
        String key = key(name);
        return await(() -> s3.statObject(StatObjectArgs.builder().bucket(location.bucket()).object(key).build()),
                "look up", key).size();
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return list(prefix, null);
    }

    /** S3 lists keys in UTF-8 binary order, which is name order for the archive's ASCII names. */
    @Override
    public List<String> listAfter(String prefix, String after) throws IOException {
        return list(prefix, key(after));
    }

    private List<String> list(String prefix, String startAfter) throws IOException {
        ensureBucket();
        String from = location.prefix() + TargetNames.checkPrefix(prefix);
        List<String> names = new ArrayList<>();
        ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(location.bucket()).prefix(from).recursive(true);
        if (startAfter != null) {
            args.startAfter(startAfter);
        }
        try {
            for (Result<Item> item : s3.listObjects(args.build())) {
                String key = item.get().objectName();
                if (key.startsWith(location.prefix()) && !key.endsWith("/")) {
                    names.add(key.substring(location.prefix().length()));
                }
            }
        } catch (Exception e) {
            throw failure("list", from, e);
        }
        return names;
    }

    @Override
    public void delete(String name) throws IOException {
        ensureBucket();
        String key = key(name);
        await(() -> s3.removeObject(RemoveObjectArgs.builder().bucket(location.bucket()).object(key).build()), "delete", key);
    }

    @Override
    public boolean exists() throws IOException {
        ensureBucket();
        try {
            for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket(location.bucket())
                    .prefix(location.prefix()).recursive(true).maxKeys(1).build())) {
                item.get();
                return true;
            }
            return false;
        } catch (Exception e) {
            throw failure("list", location.prefix(), e);
        }
    }

    @Override
    public String toString() {
        return location.toString();
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Starts an SDK call. */
    @FunctionalInterface
    interface AsyncCall<T> {
        CompletableFuture<T> start() throws Exception;
    }

    /**
     * Runs an SDK call to its end on this thread.
     *
     * @throws NoSuchFileException the object does not exist
     * @throws IOException         any other failure, with what was asked
     */
    static <T> T await(AsyncCall<T> call, String op, String key) throws IOException {
        try {
            return call.start().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("S3: interrupted during " + op + " " + key);
            interrupted.initCause(e);
            throw interrupted;
        } catch (Exception e) {
            throw failure(op, key, e);
        }
    }

    private static IOException failure(String op, String key, Exception e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ErrorResponseException ere && ere.errorResponse() != null) {
            if ("NoSuchKey".equals(ere.errorResponse().code())) {
                return new NoSuchFileException(key);
            }
            return new IOException("S3: " + op + " " + key + " failed: " + ere.errorResponse().code() + " ("
                    + ere.errorResponse().message() + ")", ere);
        }
        if (cause instanceof NoSuchFileException missing) {
            return missing;
        }
        if (cause instanceof IOException io) {
            return new IOException("S3: " + op + " " + key + " failed: " + io.getMessage(), io);
        }
        return new IOException("S3: " + op + " " + key + " failed: " + cause, cause);
    }
}
