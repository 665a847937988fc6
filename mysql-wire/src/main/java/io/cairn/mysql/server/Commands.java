package io.cairn.mysql.server;

/** Command bytes of the command phase. */
final class Commands {
    static final int QUIT = 0x01;
    static final int INIT_DB = 0x02;
    static final int QUERY = 0x03;
    static final int FIELD_LIST = 0x04;
    static final int STATISTICS = 0x09;
    static final int PROCESS_KILL = 0x0c;
    static final int PING = 0x0e;
    static final int STMT_PREPARE = 0x16;
    static final int STMT_EXECUTE = 0x17;
    static final int STMT_SEND_LONG_DATA = 0x18;
    static final int STMT_CLOSE = 0x19;
    static final int STMT_RESET = 0x1a;
    static final int SET_OPTION = 0x1b;
    static final int RESET_CONNECTION = 0x1f;

    private Commands() {
    }
}
