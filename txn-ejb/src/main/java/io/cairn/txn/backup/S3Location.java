package io.cairn.txn.backup;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Where an S3 target is, from its address:
 * <ul>
 *   <li>{@code s3+http://HOST:PORT/BUCKET[/PREFIX]} or {@code s3+https://HOST[:PORT]/BUCKET[/PREFIX]}: an
 *   S3-compatible server (MinIO, S3Proxy, Ceph…) at that endpoint, path-style;</li>
 *   <li>{@code s3://BUCKET[/PREFIX]}: Amazon S3 ({@value #AWS_ENDPOINT}).</li>
 * </ul>
 * The credentials never go in the address (they come from a file, {@link S3Credentials}): an address with a user
 * part, a query or a fragment is refused.
 *
 * @param endpoint the server's URL ({@code http://HOST:PORT})
 * @param bucket   the bucket
 * @param prefix   where the target's names start in the bucket: empty, or a relative path ending in {@code /}
 */
public record S3Location(String endpoint, String bucket, String prefix) {
    static final String AWS_ENDPOINT = "https://s3.amazonaws.com";
    private static final int MAX_LENGTH = 2048;
    /** S3's bucket names: 3 to 63 lower-case letters, digits, dots and hyphens, a letter or digit at each end. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** Whether {@code address} is meant as an S3 address (rather than a folder). */
    public static boolean isS3(String address) {
        return address != null && (address.startsWith("s3://") || address.startsWith("s3+http://")
                || address.startsWith("s3+https://"));
    }

    /**
     * @throws IllegalArgumentException not one of the forms above (the message does not repeat the address: it
     *                                  might hold a secret someone put there)
     */
    public static S3Location parse(String address) {
        if (!isS3(address) || address.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("an S3 target is s3+http://HOST:PORT/BUCKET[/PREFIX], "
                    + "s3+https://HOST[:PORT]/BUCKET[/PREFIX] or s3://BUCKET[/PREFIX] (at most " + MAX_LENGTH + " characters)");
        }
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an S3 address: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() == null || uri.getRawAuthority().contains("@")) {
            throw new IllegalArgumentException("an S3 address names a server or bucket and holds no credentials: "
                    + "give them in a credentials file");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("an S3 address has no query or fragment (?…, #…)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String endpoint;
        String bucket;
        if (uri.getScheme().equals("s3")) {
            endpoint = AWS_ENDPOINT;
            bucket = uri.getRawAuthority();
            path = path.startsWith("/") ? path.substring(1) : path;
        } else {
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("an S3 address names its server: s3+http://HOST:PORT/BUCKET[/PREFIX]");
            }
            String scheme = uri.getScheme().substring("s3+".length());
            endpoint = scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            String rest = path.startsWith("/") ? path.substring(1) : path;
            int slash = rest.indexOf('/');
            bucket = slash < 0 ? rest : rest.substring(0, slash);
            path = slash < 0 ? "" : rest.substring(slash + 1);
        }
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not an S3 bucket name: " + bucket);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String prefix = path.isEmpty() ? "" : TargetNames.check(path) + "/";
        return new S3Location(endpoint, bucket, prefix);
    }

    /** Whether the endpoint is Amazon S3's own (virtual-host addressing, region found from the bucket). */
    boolean aws() {
        return endpoint.equals(AWS_ENDPOINT);
    }

    /** The address, in the form {@link #parse} takes. */
    @Override
    public String toString() {
        String tail = bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
        return aws() ? "s3://" + tail : "s3+" + endpoint + "/" + tail;
    }
}
