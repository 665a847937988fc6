package io.cairn.proxy;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.Packet;
import io.cairn.mysql.server.ServerStatus;
import io.cairn.proxy.ProxySession.Phase;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves one session to another compute node of its group, at a transaction boundary: when its CN is
 * drained or leaves the group ({@link #requestMove}, at once if idle, else after the transaction), to even
 * the load ({@link #requestRebalance}), and when its CN fails ({@link #failover}: the session moves on its
 * next command). A move logs in elsewhere with ASSERT ({@link SessionLogin}), replays the session's state
 * there ({@link Restore}: SET statements, prepared statements prepared again under the client's ids) and
 * then quits the old CN. A session that cannot move ({@link SessionState#unmovableReason()}) waits.
 *
 * <p>Failover: an idle session moves on its next command without noticing; a session inside a transaction
 * gets one ERR 1213 saying the transaction was rolled back; a command in flight gets ERR 1105 unless it was
 * a read outside a transaction, which runs again on the new CN. A CN out of the member list is treated as
 * failed for the sessions stuck on it ({@link #computeNodeLeft}).
 *
 * <p>Threading: the session's event loop only; other threads read {@link #wanted()}.
 */
final class SessionMove {
    private static final Logger LOG = Logger.getLogger(SessionMove.class.getName());
    /** How long a command waits on a CN that left the member list before its connection is dropped. */
    private static final long STUCK_NANOS = 2_000_000_000L;

    private final ProxySession session;
    private final ProxyServer server;
    private final SessionLogin login;
    /** When the current move started, and its steps with their times (logged when it was slow). */
    private long startNanos;
    private final StringBuilder steps = new StringBuilder();
    /** A move was asked for (drain, group change); done at the next transaction boundary. */
    private volatile boolean wanted;
    /** The wanted move only evens the load: dropped if, when its turn comes, it would not any more. */
    private boolean rebalancing;
    /** The CN failed while the session was inside a transaction: the next command gets the error. */
    private boolean transactionLost;
    private Restore restore;

    SessionMove(ProxySession session, ProxyServer server, SessionLogin login) {
        this.session = session;
        this.server = server;
        this.login = login;
    }

    // ---- why a session moves ----

    /** Asks the session to leave its CN (drained, group changed); it goes at its next transaction boundary. */
    void requestMove() {
        if (session.phase() == Phase.CLOSED || session.backend() == null) {
            return;
        }
        rebalancing = false; // a required move, whatever the load
        if (!wanted) {
            wanted = true;
            session.drive();
        }
    }

    /** Asks the session to move to a less loaded CN of its group at its next transaction boundary. */
    void requestRebalance() {
        if (session.phase() == Phase.CLOSED || session.backend() == null || wanted) {
            return;
        }
        wanted = true;
        rebalancing = true;
        session.drive();
    }

    /** Whether a move was asked for and has not started yet (any thread). */
    boolean wanted() {
        return wanted;
    }

    /**
     * The session's CN is out of the cluster's member list: if a command has waited on it for {@link
     * #STUCK_NANOS} without a byte of answer, its connection is dropped as if it had broken (see {@link
     * #failover}). Only then: membership also loses healthy members for seconds while it elects a new master,
     * and their sessions, which get their answers, must not be cut.
     */
    void computeNodeLeft(String endpoint) {
        Backend b = session.backend();
        long waited = session.unansweredNanos();
        if (b != null && b.endpoint().equals(endpoint) && waited > STUCK_NANOS) {
            LOG.log(Level.INFO, "CAIRN0305W: proxy connection {0}: {1} left the cluster and has not answered for {2}"
                    + " ms; dropping the connection", new Object[] {session.id(), b, waited / 1_000_000});
            b.abandon();
        }
    }

    /**
     * The session's CN connection broke (the session was logged in there): the CN is skipped for a while,
     * the session leaves its transaction, and moves on its next command.
     */
    void failover(Backend lost) {
        LOG.log(Level.INFO, "CAIRN0302W: proxy connection {0} lost {1}", new Object[] {session.id(), lost});
        server.nodes().breaker().failed(lost.endpoint()); // most likely it died: new sessions skip it for a while
        SessionState state = session.state();
        boolean inTransaction = state.inTransaction();
        state.status(state.status() & ~(ServerStatus.IN_TRANS | ServerStatus.IN_TRANS_READONLY));
        if (session.phase() == Phase.BUSY) {
            commandLost(session.takeInFlight(), inTransaction);
        } else if (session.phase() == Phase.IDLE) {
            transactionLost = inTransaction;
        }
    }

    /**
     * The CN broke while {@code command} waited for (the rest of) its answer: a read outside a transaction
     * with nothing relayed yet runs again on the next CN, else the client hears what became of it; half an
     * answer ends the connection.
     */
    private void commandLost(CommandInFlight command, boolean inTransaction) {
        session.phase(Phase.IDLE);
        if (command.relayed() == 0 && !inTransaction && command.repeatable()) {
            session.runNext(command.packet()); // a read that had not answered yet: run it on the next CN
        } else if (command.relayed() == 0) {
            MysqlError lost = !inTransaction ? MysqlError.CN_LOST_STATEMENT
                    : command.mayCommit() ? MysqlError.CN_LOST_COMMIT : MysqlError.CN_LOST_TRANSACTION;
            session.out().error(MysqlException.of(lost));
            session.out().flush();
        } else {
            session.close(); // half an answer went out: the client cannot be told in protocol terms
            return;
        }
        session.drive();
    }

    /** Whether the next answered command is to be told that the failover rolled its transaction back (told once). */
    boolean takeTransactionLost() {
        boolean lost = transactionLost;
        transactionLost = false;
        return lost;
    }

    // ---- the move ----

    /**
     * Starts the wanted move if the session may move now: it is on a CN, outside a transaction, and holds
     * nothing that cannot be carried. A rebalance that would no longer even the load is dropped.
     *
     * @return whether a move started
     */
    boolean startIfDue() {
        SessionState state = session.state();
        if (!wanted || session.backend() == null || state.inTransaction() || state.unmovableReason() != null) {
            return false;
        }
        if (rebalancing && !evensLoad()) {
            wanted = false;
            rebalancing = false;
            return false;
        }
        start();
        return true;
    }

    /** Whether moving now would leave the CNs of the group more even: the least loaded has two fewer. */
    private boolean evensLoad() {
        Backend current = session.backend();
        ComputeNodes.Cn best = server.nodes().pick(session.group(), Set.of(current.endpoint()));
        return best != null && server.nodes().sessions(best.endpoint()) + 1 < server.nodes().sessions(current.endpoint());
    }

    /** Logs in at another CN of the group (any, after a failover). */
    void start() {
        startNanos = System.nanoTime();
        steps.setLength(0);
        session.phase(Phase.MOVING);
        wanted = false;
        rebalancing = false;
        login.connectElsewhere(session.backend());
    }

    /** Notes a step of the current move with its time, for the log of a slow move. */
    void step(String step) {
        if (session.phase() == Phase.MOVING && steps.length() < 500) {
            steps.append(" [").append((System.nanoTime() - startNanos) / 1_000_000).append(" ms: ")
                    .append(step).append(']');
        }
    }

    /** The move's login succeeded: the state is replayed there. */
    void loggedIn(Backend b) {
        step("logged in");
        restore = new Restore(b, session.state(), login.deprecateEof());
        restore.next();
    }

    /** The move's login was refused (user or database dropped meanwhile): the state cannot be restored. */
    void refused(ByteBuf error) {
        byte[] payload = Frames.payload(error);
        error.release();
        Packet waiting = session.takeWaiting();
        if (waiting != null) {
            session.out().write(waiting.lastSeq() + 1, payload);
        }
        session.close(); // (the commands still waiting go with the session)
    }

    /**
     * The move did not happen: a session still on its CN stays there (a drain with nowhere to go tries again
     * later); one without a CN answers its waiting command with {@code error}.
     */
    void failed(MysqlException error) {
        session.phase(Phase.IDLE);
        Backend current = session.backend();
        if (current != null) {
            LOG.log(Level.FINE, "proxy connection {0} stays on {1}: {2}", new Object[] {session.id(), current, error.getMessage()});
            session.drive(); // a drain with nowhere to go: try again later
            return;
        }
        Packet waiting = session.takeWaiting();
        if (waiting != null) {
            int cmd = waiting.payload().length > 0 ? waiting.payload()[0] & 0xff : -1;
            if (cmd != Commands.STMT_CLOSE && cmd != Commands.STMT_SEND_LONG_DATA) {
                session.out().error(waiting.lastSeq() + 1, error);
                session.out().flush();
            }
        }
        session.drive();
    }

    /** Whether {@code b} is the connection the session's state is being replayed on. */
    boolean replaysOn(Backend b) {
        return restore != null && b == restore.backend;
    }

    /** A packet of the replay's answers. */
    void replayFrame(ByteBuf frame) {
        restore.frame(frame);
    }

    /** The connection broke during the replay: the move tries the next CN of the group. */
    void replayBroke(Backend b) {
        restore = null;
        server.nodes().breaker().failed(b.endpoint());
        login.connectNext(); // phase is MOVING: try the next CN of the group
    }

    /** The session ends: a replay in progress is dropped. */
    void close() {
        if (restore != null) {
            restore.backend.close();
            restore = null;
        }
    }

    /** Replays the session's state on a new CN, one command at a time, then switches to it. */
    private final class Restore {
        final Backend backend;
        private final Iterator<String> sets;
        private final Iterator<SessionState.Prepared> statements;
        private final boolean deprecateEof;
        private ResponseTracker step;
        private SessionState.Prepared preparing;
        private String what;

        Restore(Backend backend, SessionState state, boolean deprecateEof) {
            this.backend = backend;
            this.sets = new ArrayList<>(state.sets()).iterator();
            this.statements = state.statements().iterator();
            this.deprecateEof = deprecateEof;
        }

        void next() {
            if (sets.hasNext()) {
                what = sets.next();
                preparing = null;
                step = new ResponseTracker(ResponseTracker.Shape.RESULT, deprecateEof, 0);
                backend.send(0, command(Commands.QUERY, what));
            } else if (statements.hasNext()) {
                preparing = statements.next();
                what = "prepare " + preparing.sql;
                step = new ResponseTracker(ResponseTracker.Shape.PREPARE, deprecateEof, 0);
                backend.send(0, command(Commands.STMT_PREPARE, preparing.sql));
            } else {
                finish();
            }
        }

        void frame(ByteBuf frame) {
            boolean done;
            try {
                done = step.feed(frame);
            } catch (IllegalStateException e) {
                done = true;
            } finally {
                frame.release();
            }
            if (!done) {
                return;
            }
            if (step.failed()) {
                restore = null;
                backend.quit();
                failed(MysqlException.of(MysqlError.SESSION_NOT_MOVABLE,
                        "'" + ProxySession.abbreviate(what) + "' failed there with error " + step.errorCode()));
                return;
            }
            if (preparing != null) {
                StatementBinding.reprepared(preparing, step.statementId());
            }
            next();
        }

        private void finish() {
            restore = null;
            session.switchTo(backend);
            server.sessionMoved();
            long took = (System.nanoTime() - startNanos) / 1_000_000;
            if (took > 1000) {
                step("restored");
                LOG.log(Level.INFO, "CAIRN0303I: proxy connection {0} moved to {1} in {2} ms:{3}",
                        new Object[] {session.id(), backend, took, steps});
            } else {
                LOG.log(Level.INFO, "CAIRN0303I: proxy connection {0} moved to {1}", new Object[] {session.id(), backend});
            }
            session.phase(Phase.IDLE);
            session.drive();
        }
    }

    private static byte[] command(int cmd, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[bytes.length + 1];
        payload[0] = (byte) cmd;
        System.arraycopy(bytes, 0, payload, 1, bytes.length);
        return payload;
    }
}
