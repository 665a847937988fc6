package io.cairn.mysql.server;

/**
 * One logical client packet, reassembled from physical packets split at 16 MiB.
 *
 * @param firstSeq sequence id of the first physical packet
 * @param lastSeq  sequence id of the last physical packet (the server's reply continues from lastSeq + 1)
 * @param payload  the payload, at most max_allowed_packet bytes
 */
public record Packet(int firstSeq, int lastSeq, byte[] payload) {
}
