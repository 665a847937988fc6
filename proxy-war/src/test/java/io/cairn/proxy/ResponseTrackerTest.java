package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mysql.server.PacketBuilder;
import io.cairn.mysql.server.Responses;
import io.cairn.mysql.server.ServerStatus;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class ResponseTrackerTest {
    private static ByteBuf frame(int seq, PacketBuilder payload) {
        return Backend.frames(seq, payload.toByteArray());
    }

    private static PacketBuilder column() {
        return new PacketBuilder().lenencString("def").lenencString("").lenencString("").lenencString("")
                .lenencString("c").lenencString("c").u8(0x0c).u16(33).i32(10).u8(0xfd).u16(0).u8(0).u16(0);
    }

    @Test
    void aTextResultSetWithEofPacketsEndsAtTheSecondEofAndTakesItsStatus() {
        ResponseTracker t = new ResponseTracker(ResponseTracker.Shape.RESULT, false, ServerStatus.AUTOCOMMIT);
        assertThat(t.feed(frame(1, new PacketBuilder().lenenc(1)))).isFalse();
        assertThat(t.feed(frame(2, column()))).isFalse();
        assertThat(t.feed(frame(3, Responses.eof(ServerStatus.IN_TRANS, 0)))).isFalse();
        // a row whose first byte is 0xFE-free text, then the end
        assertThat(t.feed(frame(4, new PacketBuilder().lenencString("x")))).isFalse();
        assertThat(t.feed(frame(5, Responses.eof(ServerStatus.IN_TRANS | ServerStatus.AUTOCOMMIT, 0)))).isTrue();
        assertThat(t.status()).isEqualTo(ServerStatus.IN_TRANS | ServerStatus.AUTOCOMMIT);
        assertThat(t.failed()).isFalse();
    }

    @Test
    void anExecuteThatOpenedACursorEndsAfterItsMetadataWithAndWithoutEof() {
        int cursor = ServerStatus.AUTOCOMMIT | ServerStatus.CURSOR_EXISTS;
        ResponseTracker eof = new ResponseTracker(ResponseTracker.Shape.RESULT, false, ServerStatus.AUTOCOMMIT);
        assertThat(eof.feed(frame(1, new PacketBuilder().lenenc(1)))).isFalse();
        assertThat(eof.feed(frame(2, column()))).isFalse();
        assertThat(eof.feed(frame(3, Responses.eof(cursor, 0)))).isTrue();
        assertThat(eof.status()).isEqualTo(cursor);

        ResponseTracker deprecated = new ResponseTracker(ResponseTracker.Shape.RESULT, true, ServerStatus.AUTOCOMMIT);
        assertThat(deprecated.feed(frame(1, new PacketBuilder().lenenc(1)))).isFalse();
        assertThat(deprecated.feed(frame(2, column()))).isFalse();
        assertThat(deprecated.feed(frame(3, Responses.end(io.cairn.mysql.server.Capabilities.DEPRECATE_EOF, cursor, 0))))
                .isTrue();
        assertThat(deprecated.status()).isEqualTo(cursor);
    }

    @Test
    void aFetchAnswerIsRowsThenAnEofOrAnError() {
        ResponseTracker t = new ResponseTracker(ResponseTracker.Shape.FETCH, false, ServerStatus.CURSOR_EXISTS);
        assertThat(t.feed(frame(1, new PacketBuilder().u8(0).u8(0).lenencString("x")))).isFalse();
        assertThat(t.feed(frame(2, new PacketBuilder().u8(0).u8(0).lenencString("y")))).isFalse();
        assertThat(t.feed(frame(3, Responses.eof(ServerStatus.LAST_ROW_SENT, 0)))).isTrue();
        assertThat(t.status()).isEqualTo(ServerStatus.LAST_ROW_SENT);

        ResponseTracker empty = new ResponseTracker(ResponseTracker.Shape.FETCH, true, 0);
        assertThat(empty.feed(frame(1, Responses.end(io.cairn.mysql.server.Capabilities.DEPRECATE_EOF,
                ServerStatus.CURSOR_EXISTS, 0)))).isTrue();
        assertThat(empty.status()).isEqualTo(ServerStatus.CURSOR_EXISTS);

        ResponseTracker failed = new ResponseTracker(ResponseTracker.Shape.FETCH, true, 0);
        assertThat(failed.feed(frame(1, new PacketBuilder().u8(0).u8(0).lenencString("x")))).isFalse();
        assertThat(failed.feed(frame(2, Responses.error(1317, "70100", "Query execution was interrupted")))).isTrue();
        assertThat(failed.failed()).isTrue();
    }

    @Test
    void multiResultsGoOnWhileMoreResultsExists() {
        ResponseTracker t = new ResponseTracker(ResponseTracker.Shape.RESULT, true, 0);
        assertThat(t.feed(frame(1, Responses.ok(1, 0, ServerStatus.MORE_RESULTS_EXISTS, 0, "", false)))).isFalse();
        assertThat(t.feed(frame(2, new PacketBuilder().lenenc(1)))).isFalse();
        assertThat(t.feed(frame(3, column()))).isFalse();
        assertThat(t.feed(frame(4, new PacketBuilder().lenencString("row")))).isFalse();
        assertThat(t.feed(frame(5, Responses.ok(0, 0, ServerStatus.IN_TRANS, 0, "", true)))).isTrue();
        assertThat(t.status()).isEqualTo(ServerStatus.IN_TRANS);
    }

    @Test
    void anErrorEndsTheResponse() {
        ResponseTracker t = new ResponseTracker(ResponseTracker.Shape.RESULT, true, 3);
        assertThat(t.feed(frame(1, Responses.error(1146, "42S02", "no table")))).isTrue();
        assertThat(t.failed()).isTrue();
        assertThat(t.errorCode()).isEqualTo(1146);
        assertThat(t.status()).isEqualTo(3);
    }

    @Test
    void aPrepareAnswerCountsParameterAndColumnDefinitions() {
        ResponseTracker t = new ResponseTracker(ResponseTracker.Shape.PREPARE, false, 2);
        assertThat(t.feed(frame(1, new PacketBuilder().u8(0).i32(9).u16(1).u16(2).u8(0).u16(0)))).isFalse();
        assertThat(t.feed(frame(2, column()))).isFalse();
        assertThat(t.feed(frame(3, column()))).isFalse();
        assertThat(t.feed(frame(4, Responses.eof(2, 0)))).isFalse();
        assertThat(t.feed(frame(5, column()))).isFalse();
        assertThat(t.feed(frame(6, Responses.eof(2, 0)))).isTrue();
        assertThat(t.statementId()).isEqualTo(9);
        assertThat(t.parameters()).isEqualTo(2);

        ResponseTracker none = new ResponseTracker(ResponseTracker.Shape.PREPARE, true, 2);
        assertThat(none.feed(frame(1, new PacketBuilder().u8(0).i32(1).u16(0).u16(0).u8(0).u16(0)))).isTrue();
    }

    @Test
    void aRowSplitAt16MiBIsNotMistakenForTheEnd() {
        ResponseTracker t = new ResponseTracker(ResponseTracker.Shape.RESULT, true, 0);
        t.feed(frame(1, new PacketBuilder().lenenc(1)));
        t.feed(frame(2, column()));
        byte[] big = new byte[Frames.MAX_PAYLOAD + 10];
        big[Frames.MAX_PAYLOAD] = (byte) 0xfe; // the continuation starts with what looks like an EOF
        ByteBuf split = Backend.frames(3, big);
        ByteBuf first = split.readRetainedSlice(4 + Frames.MAX_PAYLOAD);
        ByteBuf rest = split.readRetainedSlice(split.readableBytes());
        assertThat(t.feed(first)).isFalse();
        assertThat(t.feed(rest)).isFalse();
        assertThat(t.feed(frame(5, Responses.ok(0, 0, 2, 0, "", true)))).isTrue();
        split.release();
        first.release();
        rest.release();
    }
}
