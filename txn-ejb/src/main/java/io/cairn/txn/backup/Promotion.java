package io.cairn.txn.backup;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.charset.StandardCharsets;

/**
 * A standby's promotion, as its marker ({@code promoted.json}, JSON) records it: in the primary's log archive,
 * where it fences the old primary (whose TNs take no writes once they see it), and in the promoted cluster's own
 * object storage, where it keeps that cluster a primary across restarts.
 *
 * @param promotedAt when, UTC ({@code yyyy-MM-dd HH:mm:ss.ffffff})
 * @param by         the server whose TN promoted its cluster
 * @param commitTs   the newest of the old primary's commits the promoted cluster holds (0: none)
 * @param commitTime the same as text, UTC
 */
public record Promotion(String promotedAt, String by, long commitTs, String commitTime) {
    private static final Jsonb JSON = JsonbBuilder.create();

    /** A promotion now, by {@code by}, holding the old primary's commits up to {@code commitTs}. */
    public static Promotion now(String by, long commitTs) {
        return new Promotion(Timestamps.toText(System.currentTimeMillis() * 1000), by, commitTs,
                Timestamps.toText(commitTs));
    }

    public byte[] encode() {
        return JSON.toJson(this).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws jakarta.json.bind.JsonbException not a promotion marker */
    public static Promotion decode(byte[] json) {
        return JSON.fromJson(new String(json, StandardCharsets.UTF_8), Promotion.class);
    }

    /** For messages: when, by whom, with the old primary's commits up to when. */
    @Override
    public String toString() {
        return "promoted at " + promotedAt + " UTC by " + by + ", holding the old primary's commits up to " + commitTime;
    }
}
