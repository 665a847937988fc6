package io.cairn.txn.record;

/**
 * The HTTP face of the commit and lock calls from a CN to the active TN, shared by both halves (compute-ejb's
 * client, txn-ejb's endpoint): a POST of an {@code application/octet-stream} body to {@link #PATH} plus the
 * operation, authenticated by {@link #SECRET_HEADER}. The answer's status says what happened: 200 with the
 * result body ({@link CommitRpc}, {@link LockRpc}), 204 for the calls that return nothing, 409 with
 * {@link #ERROR_HEADER} naming the refusal, 429 when the TN held a commit back and did not make it (memory
 * budget; try again), 503 when the outcome is unknown, 400 for a malformed body.
 */
public final class TnRpc {
    /** The path the operations hang under, on the TN server's internal HTTP(S) port. */
    public static final String PATH = "/api/internal/tn/";
    /** Header carrying the cluster secret that authenticates server-to-server calls. */
    public static final String SECRET_HEADER = "Cairn-Cluster-Secret";
    /**
     * Header naming the kind of a 409: {@link #WRITE_CONFLICT}, {@link #SNAPSHOT_TOO_OLD}, {@link #DEADLOCK} or
     * {@link #READ_ONLY}.
     */
    public static final String ERROR_HEADER = "Cairn-Error";

    public static final String COMMIT = "commit";
    public static final String LOCK = "lock";
    public static final String ABANDON_WAIT = "abandon-wait";
    public static final String RELEASE = "release";
    public static final String KEEP_ALIVE = "keep-alive";

    public static final String WRITE_CONFLICT = "write-conflict";
    public static final String SNAPSHOT_TOO_OLD = "snapshot-too-old";
    public static final String DEADLOCK = "deadlock";
    /** The cluster takes no writes (a standby, or a fenced or drained primary). */
    public static final String READ_ONLY = "read-only";

    private TnRpc() {
    }
}
