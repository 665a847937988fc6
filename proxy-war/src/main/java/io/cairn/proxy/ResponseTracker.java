package io.cairn.proxy;

import io.cairn.mysql.server.ServerStatus;
import io.netty.buffer.ByteBuf;

/**
 * Follows one command's response from a compute node, packet by packet, to know where it ends and
 * which server status flags it ended with (so the proxy knows whether the session is inside a
 * transaction). Understands OK/ERR, text and binary result sets with or without EOF packets
 * (CLIENT_DEPRECATE_EOF), multi-results (SERVER_MORE_RESULTS_EXISTS), COM_STMT_PREPARE answers,
 * COM_FIELD_LIST, one-packet answers, and server-side cursors: an execute that opened one ends after
 * its metadata with SERVER_STATUS_CURSOR_EXISTS, and each COM_STMT_FETCH answer is rows and an EOF. Continuation packets of a payload split at 16 MiB are
 * skipped. Not thread-safe: one per command, on the session's event loop.
 */
final class ResponseTracker {
    /** What the response to a command looks like. */
    enum Shape {
        /** COM_QUERY, COM_STMT_EXECUTE: OK, ERR or result sets, possibly several. */
        RESULT,
        /** COM_STMT_PREPARE: PREPARE_OK and parameter and column definitions, or ERR. */
        PREPARE,
        /** COM_FIELD_LIST: column definitions up to EOF, or ERR. */
        FIELD_LIST,
        /** COM_STMT_FETCH: binary rows up to EOF (OK under DEPRECATE_EOF), or ERR. */
        FETCH,
        /** Any other answered command: one packet. */
        SINGLE
    }

    private enum Step { FIRST, COLUMNS, COLUMNS_END, ROWS, PARAMS, PARAMS_END, PREPARED_COLUMNS, PREPARED_COLUMNS_END, DONE }

    private final Shape shape;
    private final boolean deprecateEof;
    private Step step = Step.FIRST;
    private long remaining;
    private boolean continued;
    private int status;
    private boolean failed;
    private int packets;
    private int statementId;
    private int parameters;
    private int columns;
    private int errorCode;

    /** @param status the session's status flags before the command (kept when the answer carries none) */
    ResponseTracker(Shape shape, boolean deprecateEof, int status) {
        this.shape = shape;
        this.deprecateEof = deprecateEof;
        this.status = status;
        if (shape == Shape.FETCH) {
            step = Step.ROWS;
        }
    }

    /**
     * Takes the next physical packet of the response.
     *
     * @return true when it was the response's last packet
     * @throws IllegalStateException when the response does not follow the protocol, or goes on after its end
     */
    boolean feed(ByteBuf frame) {
        if (step == Step.DONE) {
            throw new IllegalStateException("packet after the end of the response");
        }
        int length = Frames.length(frame);
        boolean continuation = continued;
        continued = length == Frames.MAX_PAYLOAD;
        packets++;
        if (continuation) {
            return false; // the rest of a row or definition split at 16 MiB
        }
        int header = Frames.header(frame);
        int at = frame.readerIndex() + 4;
        switch (step) {
            case FIRST -> first(frame, at, header, length);
            case COLUMNS -> countDown(Step.COLUMNS_END, Step.ROWS);
            case COLUMNS_END -> {
                expectEnd(frame, at, header, length);
                if (step != Step.DONE && (eofStatus(frame, at) & ServerStatus.CURSOR_EXISTS) != 0) {
                    endOfResult(eofStatus(frame, at)); // a cursor: the rows come with COM_STMT_FETCH
                } else if (step != Step.DONE) {
                    step = Step.ROWS;
                }
            }
            case PARAMS_END, PREPARED_COLUMNS_END -> {
                expectEnd(frame, at, header, length);
                step = step == Step.PARAMS_END ? afterParams() : Step.DONE;
            }
            case ROWS -> rows(frame, at, header, length);
            case PARAMS -> countDown(Step.PARAMS_END, null);
            case PREPARED_COLUMNS -> countDown(Step.PREPARED_COLUMNS_END, Step.DONE);
            default -> throw new IllegalStateException("unexpected step " + step);
        }
        return step == Step.DONE && !continued;
    }

    private void first(ByteBuf frame, int at, int header, int length) {
        if (header == 0xff) {
            fail(frame, at, length);
            return;
        }
        switch (shape) {
            case SINGLE -> {
                if ((header == 0x00 || header == 0xfe) && length >= 5 && length < Frames.MAX_PAYLOAD) {
                    status = header == 0xfe && !deprecateEof && length < 9 ? eofStatus(frame, at) : okStatus(frame, at);
                }
                step = Step.DONE;
            }
            case RESULT -> {
                if (header == 0x00) {
                    endOfResult(okStatus(frame, at));
                } else if (header == 0xfb || header == 0xfe || header < 0) {
                    throw new IllegalStateException("unexpected result header " + header);
                } else {
                    remaining = lenenc(frame, at);
                    step = remaining == 0 ? Step.ROWS : Step.COLUMNS;
                }
            }
            case PREPARE -> {
                if (header != 0x00 || length < 12) {
                    throw new IllegalStateException("unexpected prepare answer header " + header);
                }
                statementId = frame.getIntLE(at + 1);
                columns = frame.getUnsignedShortLE(at + 5);
                parameters = frame.getUnsignedShortLE(at + 7);
                remaining = parameters;
                step = parameters > 0 ? Step.PARAMS : afterParams();
            }
            case FIELD_LIST -> fieldList(frame, at, header, length);
            default -> throw new IllegalStateException("unknown shape " + shape);
        }
    }

    private Step afterParams() {
        remaining = columns;
        return columns > 0 ? Step.PREPARED_COLUMNS : Step.DONE;
    }

    private void countDown(Step end, Step afterEnd) {
        if (--remaining > 0) {
            return;
        }
        if (!deprecateEof) {
            step = end;
        } else {
            step = afterEnd != null ? afterEnd : afterParams();
        }
    }

    private void fieldList(ByteBuf frame, int at, int header, int length) {
        if (header == 0xff) {
            fail(frame, at, length);
        } else if (header == 0xfe && length < Frames.MAX_PAYLOAD) {
            status = deprecateEof ? okStatus(frame, at) : eofStatus(frame, at);
            step = Step.DONE;
        }
    }

    private void rows(ByteBuf frame, int at, int header, int length) {
        if (header == 0xff) {
            fail(frame, at, length);
        } else if (header == 0xfe && length < Frames.MAX_PAYLOAD) {
            endOfResult(deprecateEof ? okStatus(frame, at) : eofStatus(frame, at));
        }
    }

    private void expectEnd(ByteBuf frame, int at, int header, int length) {
        if (header == 0xff) {
            fail(frame, at, length);
        } else if (header != 0xfe) {
            throw new IllegalStateException("expected EOF, got header " + header);
        }
    }

    private void endOfResult(int flags) {
        status = flags;
        step = (flags & ServerStatus.MORE_RESULTS_EXISTS) != 0 ? Step.FIRST : Step.DONE;
    }

    private void fail(ByteBuf frame, int at, int length) {
        failed = true;
        errorCode = length >= 3 ? frame.getUnsignedShortLE(at + 1) : 0;
        step = Step.DONE;
    }

    /** Status flags of an OK packet (also the 0xFE-headed OK that ends a result under DEPRECATE_EOF). */
    private static int okStatus(ByteBuf frame, int at) {
        int pos = skipLenenc(frame, skipLenenc(frame, at + 1));
        return frame.getUnsignedShortLE(pos);
    }

    private static int eofStatus(ByteBuf frame, int at) {
        return frame.getUnsignedShortLE(at + 3);
    }

    private static int skipLenenc(ByteBuf frame, int pos) {
        int first = frame.getUnsignedByte(pos);
        return pos + (first < 0xfb ? 1 : first == 0xfc ? 3 : first == 0xfd ? 4 : 9);
    }

    private static long lenenc(ByteBuf frame, int pos) {
        int first = frame.getUnsignedByte(pos);
        return first < 0xfb ? first : first == 0xfc ? frame.getUnsignedShortLE(pos + 1)
                : first == 0xfd ? frame.getUnsignedMediumLE(pos + 1) : frame.getLongLE(pos + 1);
    }

    /** Server status flags after the response (as far as it has been read). */
    int status() {
        return status;
    }

    /** Whether the response ended with (or was) an ERR packet. */
    boolean failed() {
        return failed;
    }

    /** The error number of that ERR packet. */
    int errorCode() {
        return errorCode;
    }

    /** Physical packets taken so far. */
    int packets() {
        return packets;
    }

    /** PREPARE: the statement id the compute node gave. */
    int statementId() {
        return statementId;
    }

    /** PREPARE: the number of parameters. */
    int parameters() {
        return parameters;
    }
}
