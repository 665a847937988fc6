package io.cairn.proxy;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.Responses;

/**
 * {@code KILL [CONNECTION|QUERY] id} and COM_PROCESS_KILL, which the proxy answers itself: the id is one of
 * this proxy's connection ids (from 2^30, apart from compute node ids). The victim's CN gets {@code KILL
 * [QUERY] <its CN connection id>} over a side connection ({@link ProxyServer#killOnComputeNode}); KILL
 * CONNECTION also closes the victim's client connection. Runs on the killing session's event loop; the
 * victim is closed on its own.
 */
final class KillCommand {
    private KillCommand() {
    }

    /** Runs the KILL that {@code killer}'s client sent ({@code statement}: a COM_QUERY's) and answers it. */
    static void run(ProxySession killer, ProxyServer server, byte[] payload, int cmd, SessionStatement statement) {
        ClientOutput out = killer.out();
        long target;
        boolean queryOnly;
        if (cmd == Commands.PROCESS_KILL) {
            if (payload.length < 5) {
                killer.protocolError(out.nextSeq(), "COM_PROCESS_KILL without an id");
                return;
            }
            target = Integer.toUnsignedLong(intAt(payload, 1));
            queryOnly = false;
        } else {
            target = Long.parseLong(statement.name());
            queryOnly = statement.queryOnly();
        }
        ProxySession victim = server.session(target);
        String user = killer.user();
        // the compute nodes' rule: root may kill any session, other users only their own
        if (victim == null || !"root".equals(user) && !user.equals(victim.user())) {
            out.error(MysqlException.of(MysqlError.UNKNOWN_THREAD, target));
            out.flush();
            return;
        }
        Backend where = victim.backend();
        if (where != null) {
            server.killOnComputeNode(where, victim.user(), victim.clientAddress(), queryOnly, killer.client().eventLoop());
        }
        if (!queryOnly) {
            victim.execute(victim::close);
            if (victim == killer) {
                return;
            }
        }
        out.write(out.nextSeq(), Responses.ok(0, 0, killer.state().status(), 0, "", false).toByteArray());
        out.flush();
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
