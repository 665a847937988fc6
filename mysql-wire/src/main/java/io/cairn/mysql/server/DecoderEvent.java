package io.cairn.mysql.server;

/** Conditions the {@link PacketDecoder} reports instead of a packet; after any of them it reads no more packets. */
public sealed interface DecoderEvent {
    /** A packet exceeded max_allowed_packet; the reply to it must use {@code seq + 1}. */
    record TooLarge(int seq) implements DecoderEvent {
    }

    /** The oversized packet was read and dropped to its end; the connection can now be closed without a reset. */
    record DiscardDone() implements DecoderEvent {
    }

    /** A continuation packet of a split packet had the wrong sequence id. */
    record OutOfOrder(int seq) implements DecoderEvent {
    }
}
