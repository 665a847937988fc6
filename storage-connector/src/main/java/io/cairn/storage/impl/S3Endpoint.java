package io.cairn.storage.impl;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.S3Escaper;
import io.minio.Signer;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An S3/MinIO bucket as an endpoint, through the MinIO Java SDK.
 *
 * <p>The HTTP client is our own OkHttp client with explicit connect/read/write timeouts and no transparent
 * connection retry, so a dead endpoint fails within the connect timeout instead of the SDK's minutes; retries
 * are the {@link CallPolicy}'s job. {@link #close()} shuts its dispatcher threads and connection pool down.
 * The bucket is created on first use if absent (and again if it disappears). Thread-safe.
 *
 * <p><b>Reads and writes</b> are plain signed GETs and PUTs on the same HTTP client, executed on the calling
 * thread ({@link #directGet}, {@link #directPut}), not through the SDK's {@code getObject}/{@code putObject}:
 * those hand every request to other threads and back (the SDK's {@code putObject} even starts a new thread
 * per call where the common fork-join pool has fewer than two threads, as on a 2-core machine), copy the
 * payload through the SDK's part reader and parse the response into objects a byte transfer does not need.
 * Requests are signed with the SDK's own {@link Signer} (SigV4, path-style URL as the SDK builds it for a
 * non-AWS endpoint, region {@value #REGION}; a PUT signs a {@code Content-MD5} of its payload rather than
 * its SHA-256, see {@link #directPut}). An answer only the SDK knows how to handle (a redirect, a refused signature: a server that wants
 * another addressing style or region) turns the direct path off for this endpoint and the request is made
 * through the SDK, as every request then is.
 */
public final class S3Endpoint implements Endpoint {
    private static final Logger LOG = Logger.getLogger(S3Endpoint.class.getName());

    private static final String REGION = "us-east-1";
    /** SHA-256 of an empty payload: what a GET signs as its content hash. */
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** What a PUT signs as its content hash when the payload is not hashed into the signature. */
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.US).withZone(ZoneOffset.UTC);
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]+)</Code>");

    private final String url;
    private final String bucket;
    private final MinioClient client;
    private final OkHttpClient http;
    private final HttpUrl base;
    private final String hostHeader;
    private final String accessKey;
    private final String secretKey;
    /** Whether reads and writes take the direct path; cleared for good by an answer only the SDK handles. */
    private volatile boolean direct = true;
    /** Same connections and threads as {@link #client}, but the whole call bounded by the probe timeout. */
    private final MinioClient probeClient;
    private volatile boolean bucketReady;

    /**
     * How long an idle connection stays in the pool: less than servers keep one (S3Proxy's Jetty closes it
     * after 30 s, AWS S3 after about 20 s). A request on a connection the server had closed failed with
     * "unexpected end of stream" (requests are not retried on another connection here; {@link CallPolicy}
     * decides about attempts), on every endpoint at once after a quiet spell.
     */
    static final int IDLE_KEEP_SECONDS = 15;

    /**
     * @param url e.g. {@code http://127.0.0.1:9001}
     * @param maxConcurrent how many requests may be in flight to this endpoint (sizes the HTTP dispatcher)
     * @param probeTimeout bound on a whole {@link #ping()} call
     */
    public S3Endpoint(String url, String accessKey, String secretKey, String bucket, Duration connectTimeout,
                      Duration requestTimeout, int maxConcurrent, Duration probeTimeout) {
        this.url = url;
        this.bucket = bucket;
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, maxConcurrent * 2));
        dispatcher.setMaxRequestsPerHost(Math.max(5, maxConcurrent * 2));
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(requestTimeout.plus(connectTimeout).toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false)
                .protocols(List.of(Protocol.HTTP_1_1))
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(maxConcurrent * 2, IDLE_KEEP_SECONDS, TimeUnit.SECONDS))
                .build();
        this.http = http;
        this.base = HttpUrl.get(url);
        this.hostHeader = base.port() == HttpUrl.defaultPort(base.scheme()) ? base.host() : base.host() + ":" + base.port();
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.client = MinioClient.builder()
                .endpoint(url)
                .region("us-east-1")
                .credentials(accessKey, secretKey)
                .httpClient(http, true)
                .build();
        OkHttpClient probeHttp = http.newBuilder()
                .readTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        // not closed separately: it shares the dispatcher and connection pool that closing `client` shuts down
        this.probeClient = MinioClient.builder()
                .endpoint(url)
                .region("us-east-1")
                .credentials(accessKey, secretKey)
                .httpClient(probeHttp, false)
                .build();
    }

    @Override
    public String name() {
        return "s3:" + url;
    }

    /** Converts SDK failures into the endpoint contract's IOExceptions. */
    private IOException translate(String op, String name, Exception e) {
        if (e instanceof ShardNotFoundException notFound) {
            return notFound; // from a direct read: already the contract's answer
        }
        if (e instanceof ErrorResponseException ere) {
            String code = ere.errorResponse() == null ? null : ere.errorResponse().code();
            if ("NoSuchKey".equals(code)) {
                return new ShardNotFoundException(name(), name);
            }
            if ("NoSuchBucket".equals(code)) {
                bucketReady = false;
            }
        }
        if (e instanceof InterruptedIOException iie) {
            return iie;
        }
        return new IOException(name() + ": " + op + " " + name + " failed: " + e, e);
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T run() throws IOException, MinioException, GeneralSecurityException;
    }

    private <T> T run(String op, String name, SdkCall<T> call) throws IOException {
        try {
            if (!bucketReady) {
                ensureBucket();
            }
            return call.run();
        } catch (MinioException | GeneralSecurityException | IOException e) {
            throw translate(op, name, e);
        } catch (RuntimeException e) {
            // The SDK wraps interrupts and some transport failures in unchecked exceptions.
            if (Thread.currentThread().isInterrupted()) {
                InterruptedIOException iie = new InterruptedIOException(name() + ": interrupted during " + op);
                iie.initCause(e);
                throw iie;
            }
            throw new IOException(name() + ": " + op + " " + name + " failed: " + e, e);
        }
    }

    private synchronized void ensureBucket() throws IOException, MinioException, GeneralSecurityException {
        if (bucketReady) {
            return;
        }
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            try {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                LOG.info(() -> name() + ": created bucket " + bucket);
            } catch (ErrorResponseException e) {
                String code = e.errorResponse() == null ? "" : e.errorResponse().code();
                if (!code.equals("BucketAlreadyOwnedByYou") && !code.equals("BucketAlreadyExists")) {
                    throw e;
                }
            }
        }
        bucketReady = true;
    }

    @Override
    public void put(String name, byte[] data) throws IOException {
        run("put", name, () -> {
            if (!direct || !directPut(name, data)) {
                client.putObject(PutObjectArgs.builder().bucket(bucket).object(name)
                        .stream(new ByteArrayInputStream(data), data.length, -1)
                        .contentType(OCTET_STREAM.toString()).build());
            }
            return null;
        });
    }

    @Override
    public void put(String name, Path file) throws IOException {
        run("put", name, () -> {
            if (!direct || !directPut(name, file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    client.putObject(PutObjectArgs.builder().bucket(bucket).object(name)
                            .stream(in, Files.size(file), -1).contentType(OCTET_STREAM.toString()).build());
                }
            }
            return null;
        });
    }

    /**
     * One signed PUT of {@code data} on the calling thread. The payload is sent as {@value #UNSIGNED_PAYLOAD}
     * with a (signed) {@code Content-MD5}: the server checks the bytes it stores against that digest and
     * refuses a corrupted upload ({@code BadDigest}), as it would refuse a wrong payload hash, but without
     * hashing the payload a second time on both ends (S3Proxy also buffers a whole signed payload in memory to
     * check it before storing). See the README for why this is enough. Returns false when the server's answer
     * is one only the SDK handles; the direct path is then off for this endpoint.
     *
     * @throws IOException any other failure, as the SDK path reports it
     */
    private boolean directPut(String name, byte[] data) throws IOException, GeneralSecurityException {
        byte[] md5 = MessageDigest.getInstance("MD5").digest(data);
        return directPut(name, RequestBody.create(data, OCTET_STREAM), md5);
    }

    /** {@link #directPut(String, byte[])} of a file's bytes, sent from the file. */
    private boolean directPut(String name, Path file) throws IOException, GeneralSecurityException {
        MessageDigest digest = MessageDigest.getInstance("MD5");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return directPut(name, RequestBody.create(file.toFile(), OCTET_STREAM), digest.digest());
    }

    private boolean directPut(String name, RequestBody payload, byte[] md5Digest) throws IOException, GeneralSecurityException {
        String md5 = Base64.getEncoder().encodeToString(md5Digest);
        Request request = sign(requestFor(name, UNSIGNED_PAYLOAD).header("Content-MD5", md5).put(payload),
                UNSIGNED_PAYLOAD);
        try (Response r = http.newCall(request).execute()) {
            if (r.isSuccessful()) {
                return true;
            }
            ResponseBody body = r.body();
            String error = errorCode(body == null ? "" : body.string());
            if (error.equals("BadDigest")) {
                // the bytes were damaged on the way: a transient failure, retried like any other
                throw new IOException(name() + ": put " + name
                        + " failed: the server received other bytes (BadDigest)");
            }
            return refused("put", name, r.code(), error);
        }
    }

    /** A request for {@code name} (path-style URL) with the headers SigV4 needs, not yet signed. */
    private Request.Builder requestFor(String name, String payloadSha256) {
        HttpUrl target = base.newBuilder().addPathSegment(bucket)
                .addEncodedPathSegments(S3Escaper.encodePath(name)).build();
        return new Request.Builder().url(target)
                .header("Host", hostHeader)
                // signing needs the wall clock: S3 refuses a request whose date is off by minutes
                .header("x-amz-date", AMZ_DATE.format(Instant.now()))
                .header("x-amz-content-sha256", payloadSha256);
    }

    private Request sign(Request.Builder request, String payloadSha256) throws GeneralSecurityException {
        return Signer.signV4S3(request.build(), REGION, accessKey, secretKey, payloadSha256);
    }

    private static String errorCode(String body) {
        Matcher m = ERROR_CODE.matcher(body);
        return m.find() ? m.group(1) : "";
    }

    /**
     * Handles a direct request's failure other than "no such object": throws what the SDK path would report,
     * or, for an answer only the SDK handles (a redirect, a refused request), turns the direct path off for
     * good and returns false so that the caller repeats the request through the SDK.
     */
    private boolean refused(String op, String name, int code, String error) throws IOException {
        if (code == 404 && error.equals("NoSuchBucket")) {
            bucketReady = false;
            throw new IOException(name() + ": " + op + " " + name + " failed: no bucket " + bucket);
        }
        if (code >= 500 || code == 404 || code == 416) {
            // a server error, or an answer the SDK would turn into the same failure (416: range beyond the object)
            throw new IOException(name() + ": " + op + " " + name + " failed: HTTP " + code + " " + error);
        }
        direct = false;
        LOG.warning(() -> name() + ": a direct " + op + " was answered HTTP " + code + " " + error
                + "; going through the MinIO SDK from now on");
        return false;
    }

    @Override
    public byte[] getPrefix(String name, int maxLength) throws IOException {
        if (maxLength == 0) {
            return new byte[0];
        }
        return run("get", name, () -> {
            byte[] fast = direct ? directGet(name, 0, maxLength, true) : null;
            if (fast != null) {
                return fast;
            }
            try (GetObjectResponse r = client.getObject(GetObjectArgs.builder().bucket(bucket).object(name)
                    .offset(0L).length((long) maxLength).build())) {
                return r.readNBytes(maxLength);
            }
        });
    }

    @Override
    public byte[] get(String name, long offset, int length) throws IOException {
        if (length == 0) {
            return new byte[0];
        }
        return run("get", name, () -> {
            byte[] fast = direct ? directGet(name, offset, length, false) : null;
            if (fast != null) {
                return fast;
            }
            try (GetObjectResponse r = client.getObject(GetObjectArgs.builder().bucket(bucket).object(name)
                    .offset(offset).length((long) length).build())) {
                // Straight into an array of the expected size: no growing buffers, and never more than asked.
                byte[] out = new byte[length];
                int got = r.readNBytes(out, 0, length);
                if (got != length) {
                    throw new IOException(name() + ": short read of " + name + ": " + got + " of " + length);
                }
                return out;
            }
        });
    }

    /**
     * One signed GET of bytes {@code [offset, offset+length)} of {@code name} on the calling thread; with
     * {@code prefix}, of at most those bytes (fewer when the object ends first). Returns null when the server's
     * answer is one only the SDK handles; the direct path is then off for this endpoint.
     *
     * @throws ShardNotFoundException no such object
     * @throws IOException any other failure, as the SDK path reports it
     */
    private byte[] directGet(String name, long offset, int length, boolean prefix)
            throws IOException, GeneralSecurityException {
        Request.Builder request = requestFor(name, EMPTY_SHA256).get()
                .header("Range", "bytes=" + offset + "-" + (offset + length - 1));
        try (Response r = http.newCall(sign(request, EMPTY_SHA256)).execute()) {
            ResponseBody body = r.body();
            int code = r.code();
            if (body != null && (code == 206 || (code == 200 && offset == 0))) {
                long declared = body.contentLength();
                if (prefix && declared < 0) {
                    return readUpTo(body, length);
                }
                byte[] out = new byte[prefix ? (int) Math.min(length, declared) : length];
                try {
                    body.source().readFully(out);
                } catch (java.io.EOFException e) {
                    throw new IOException(name() + ": short read of " + name + " (" + length + " bytes asked)", e);
                }
                return out;
            }
            if (prefix && code == 416) {
                return new byte[0]; // an empty object has no byte 0
            }
            String error = errorCode(body == null ? "" : body.string());
            if (code == 404 && (error.equals("NoSuchKey") || error.isEmpty())) { // no body: the SDK says NoSuchKey too
                throw new ShardNotFoundException(name(), name);
            }
            refused("get", name, code, error);
            return null;
        }
    }

    /** Whether reads and writes still take the direct path (tests). */
    boolean direct() {
        return direct;
    }

    private static byte[] readUpTo(ResponseBody body, int max) throws IOException {
        try (var in = body.byteStream()) {
            return in.readNBytes(max);
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return run("list", prefix, () -> {
            List<String> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                out.add(r.get().objectName());
            }
            return out;
        });
    }

    @Override
    public void delete(String name) throws IOException {
        run("delete", name, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(name).build());
            return null;
        });
    }

    @Override
    public void ping() throws IOException {
        try {
            probeClient.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (MinioException | GeneralSecurityException | IOException e) {
            throw translate("ping", bucket, e);
        } catch (RuntimeException e) {
            throw new IOException(name() + ": ping failed: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, name() + ": closing the S3 client failed", e);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
