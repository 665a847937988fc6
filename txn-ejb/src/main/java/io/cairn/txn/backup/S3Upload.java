package io.cairn.txn.backup;

import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.messages.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One object written to S3 as a stream, holding at most one part in memory: what fits in one part is one PUT;
 * anything larger a multipart upload, each part sent when it is full. The object exists only once
 * {@link #complete()} succeeds (a PUT, or the upload's completion, is atomic on S3); {@link #close()} without it
 * aborts the upload, so a failed writer leaves no object and no parts behind. Not thread-safe: one writer.
 */
final class S3Upload extends OutputStream {
    private static final Logger LOG = Logger.getLogger(S3Upload.class.getName());
    private static final int FIRST_BUFFER = 64 << 10;

    private final MinioAsyncClient s3;
    private final String bucket;
    private final String key;
    private final int partBytes;
    private byte[] buffer = new byte[FIRST_BUFFER];
    private int buffered;
    private long total;
    private String uploadId;
    private final List<Part> parts = new ArrayList<>();
    private boolean done;

    /** @param partBytes the size of each part but the last: at least S3's 5 MiB */
    S3Upload(MinioAsyncClient s3, String bucket, String key, int partBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.partBytes = partBytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (done) {
            throw new IOException("the upload of " + key + " is over");
        }
        while (len > 0) {
            if (buffered == partBytes) {
                sendPart();
            }
            if (buffered == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(partBytes, buffer.length * 2));
            }
            int n = Math.min(len, buffer.length - buffered);
            System.arraycopy(b, off, buffer, buffered, n);
            buffered += n;
            off += n;
            len -= n;
        }
    }

    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = S3Target.await(() -> s3.createMultipartUploadAsync(bucket, null, key, null, null), "start uploading", key)
                    .result().uploadId();
        }
        int number = parts.size() + 1;
        String etag = S3Target.await(() -> s3.uploadPartAsync(bucket, null, key, buffer, buffered, uploadId, number, null, null),
                "upload part " + number + " of", key).etag();
        parts.add(new Part(number, etag));
        total += buffered;
        buffered = 0;
    }

    /** Makes the object: everything written is stored, atomically. Returns its bytes. */
    long complete() throws IOException {
        if (uploadId == null) {
            S3Target.await(() -> s3.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(buffer, 0, buffered), buffered, -1)
                    .contentType("application/octet-stream").build()), "put", key);
            total = buffered;
        } else {
            if (buffered > 0) {
                sendPart();
            }
            S3Target.await(() -> s3.completeMultipartUploadAsync(bucket, null, key, uploadId, parts.toArray(new Part[0]),
                    null, null), "complete the upload of", key);
        }
        done = true;
        buffer = null;
        return total;
    }

    /** Aborts the upload unless {@link #complete()} made the object. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        buffer = null;
        if (uploadId != null) {
            try {
                S3Target.await(() -> s3.abortMultipartUploadAsync(bucket, null, key, uploadId, null, null), "abort the upload of", key);
            } catch (IOException e) { // the parts stay until the bucket's lifecycle rules remove them; no object exists
                LOG.log(Level.WARNING, "CAIRN0128W: " + e.getMessage());
            }
        }
    }
}
