package io.cairn.txn.standby;

import io.cairn.txn.checkpoint.CheckpointStore;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.charset.StandardCharsets;

/**
 * That a cluster was set up as a standby, as its own object storage records it ({@code standby/following.json},
 * JSON): a standby restarted without {@code cairn.standby.of} must not come up as a primary taking writes while the
 * primary it followed still runs. It takes writes once promoted ({@link Standby#MARKER}).
 *
 * @param primaryArchive the primary's archive it follows (an address without credentials)
 */
public record StandbyMarker(String primaryArchive) {
    public static final String KEY = "standby/following.json";
    private static final Jsonb JSON = JsonbBuilder.create();

    /** The marker in a cluster's own object storage, or null for a cluster never set up as a standby. */
    public static StandbyMarker of(CheckpointStore store) {
        return store.list("standby/").contains(KEY)
                ? JSON.fromJson(new String(store.get(KEY), StandardCharsets.UTF_8), StandbyMarker.class) : null;
    }

    /** Records the marker unless it is there (objects are written once). */
    public void recordIn(CheckpointStore store) {
        if (of(store) == null) {
            store.put(KEY, JSON.toJson(this).getBytes(StandardCharsets.UTF_8));
        }
    }
}
