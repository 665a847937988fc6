package io.cairn.mysql.fuzz;

import io.cairn.mysql.fuzz.FuzzCase.Category;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Cases about connections themselves: many opened and dropped at once, clients that stop reading. */
final class ConnectionCases {
    /** Connections one storm opens, at most (bounded so that a run stays within its time). */
    static final int MAX_STORM = 300;

    private ConnectionCases() {
    }

    /**
     * Opens 50-300 connections one after another and drops them in different ways: reset at once, FIN at
     * once, after the greeting, inside the handshake response, or held open until the storm ends.
     */
    static void storm(FuzzCase c) throws IOException {
        int n = c.between(50, MAX_STORM);
        List<WireClient> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WireClient w;
            try {
                w = c.connect();
                switch (c.rnd.nextInt(5)) {
                    case 0 -> w.abort();
                    case 1 -> w.close();
                    case 2 -> {
                        w.readGreeting(FuzzCase.ANSWER_MILLIS);
                        w.abort();
                    }
                    case 3 -> {
                        w.writeRaw(WireClient.header(90, 1));
                        w.writeRaw(c.bytes(c.rnd.nextInt(90)));
                        w.abort();
                    }
                    default -> held.add(w);
                }
            } catch (IOException e) {
                c.report(Category.LIVENESS, "connection " + (i + 1) + " of a storm of " + n + " failed: " + e);
                break;
            }
        }
        held.forEach(WireClient::abort);
    }

    /**
     * Pipelines queries with big answers and never reads them: the server must not hold a thread or
     * memory for such a client forever, but close it once it has not been able to write for its timeout.
     */
    static void notReading(FuzzCase c) throws IOException {
        WireClient w = c.loggedInWithReceiveBuffer(64 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] query = WireClient.packet(0, WireClient.commandPayload(io.cairn.mysql.server.Commands.QUERY,
                c.target.bigResultQuery().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        for (int i = c.between(12, 30); i > 0; i--) {
            out.writeBytes(query);
        }
        w.writeRaw(out.toByteArray());
        c.watchClose(w, c.target.netWriteTimeout(), false);
    }
}
