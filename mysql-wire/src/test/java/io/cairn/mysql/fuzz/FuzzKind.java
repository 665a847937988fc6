package io.cairn.mysql.fuzz;

import java.io.IOException;

/**
 * The kinds of fuzz case, each with its weight in a run (how often it is drawn) and its body. Every
 * kind runs at least once per run, in this order, before the weighted draw begins.
 */
public enum FuzzKind {
    // ---- connection phase ----
    LOGIN_STALL(2, HandshakeCases::loginStall),
    HANDSHAKE_STALL_MID_PACKET(2, HandshakeCases::stallMidPacket),
    HANDSHAKE_TRUNCATED(4, HandshakeCases::truncated),
    HANDSHAKE_GARBAGE(4, HandshakeCases::garbage),
    HANDSHAKE_BAD_LENENC(3, HandshakeCases::badLenenc),
    HANDSHAKE_BAD_SEQUENCE(2, HandshakeCases::badSequence),
    HANDSHAKE_OVERSIZED(2, HandshakeCases::oversized),
    HANDSHAKE_ZERO_LENGTH(1, HandshakeCases::zeroLength),
    HANDSHAKE_INVALID_UTF8(2, HandshakeCases::invalidUtf8),
    SSL_REQUEST_GARBAGE(2, HandshakeCases::sslGarbage),
    TLS_THEN_GARBAGE(1, HandshakeCases::tlsThenGarbage),
    COMPRESS_REQUESTED(2, HandshakeCases::compress),
    AUTH_SWITCH_GARBAGE(3, HandshakeCases::authSwitchGarbage),
    // ---- framing ----
    WRONG_LENGTH_THEN_CLOSE(3, FramingCases::wrongLengthThenClose),
    HUGE_LENGTH(3, FramingCases::hugeLength),
    MULTI_PACKET_CHAIN(1, FramingCases::multiPacketChain),
    BAD_SEQUENCE(3, FramingCases::badSequence),
    ZERO_LENGTH(2, FramingCases::zeroLength),
    STALL_MID_COMMAND(2, FramingCases::stallMidCommand),
    HALF_CLOSE(3, FramingCases::halfClose),
    PACKETS_AFTER_QUIT(2, FramingCases::afterQuit),
    PIPELINED(3, FramingCases::pipelined),
    // ---- commands ----
    UNKNOWN_COMMAND(3, CommandCases::unknownCommand),
    CHANGE_USER_GARBAGE(2, CommandCases::changeUser),
    FIELD_LIST_GARBAGE(2, CommandCases::fieldList),
    QUERY_INVALID_UTF8(2, CommandCases::invalidUtf8),
    HUGE_QUERY_TEXT(2, CommandCases::hugeQueryText),
    SET_OPTION_GARBAGE(1, CommandCases::setOption),
    KILL_GARBAGE(1, CommandCases::kill),
    RESET_GARBAGE(1, CommandCases::reset),
    // ---- prepared statements ----
    STMT_PREPARE_GARBAGE(2, StatementCases::prepareGarbage),
    STMT_EXECUTE_BAD_PARAMS(6, StatementCases::executeBadParams),
    STMT_LENENC_BAD_PREFIX(2, StatementCases::lenencBadPrefix),
    STMT_UNKNOWN_ID(2, StatementCases::unknownId),
    LONG_DATA_HUGE(1, StatementCases::longDataHuge),
    LONG_DATA_BAD_TARGET(2, StatementCases::longDataBadTarget),
    // ---- many connections, slow clients ----
    CONNECTION_STORM(1, ConnectionCases::storm),
    NOT_READING(1, ConnectionCases::notReading);

    /** A case body. */
    interface Body {
        void run(FuzzCase c) throws IOException;
    }

    final int weight;
    final Body body;

    FuzzKind(int weight, Body body) {
        this.weight = weight;
        this.body = body;
    }
}
