package io.cairn.proxy;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.DecoderEvent;
import io.cairn.mysql.server.LingeringClose;
import io.cairn.mysql.server.Packet;
import io.cairn.mysql.server.PacketDecoder;
import io.cairn.mysql.server.TlsUpgrader;
import io.cairn.server.ProxySessions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection to the proxy. It terminates the handshake (its own greeting and salt), logs
 * in to a compute node of the client's group on the client's behalf ({@link Backend}, VERIFY: the
 * CN checks the password), and then relays commands one at a time, following each answer
 * ({@link ResponseTracker}) so it always knows where the session stands ({@link SessionState}). At a
 * transaction boundary it can move to another CN of its group ({@link SessionMove}).
 *
 * <p>A client's own faults end only its connection and never count against a compute node: a client
 * not logged in within {@link ProxySettings#clientLoginTimeout()} (it stalled, or never answered an auth
 * switch), one that stops inside a packet ({@link ProxySettings#netReadTimeout()}, see {@link PacketDecoder})
 * or reads nothing for {@link ProxySettings#netWriteTimeout()} is disconnected; a command the compute node
 * answers with an error that ends a MySQL connection (1835 malformed, 1156 out of order, 1153 too large)
 * is relayed and the client is disconnected, as a direct client of the CN would be.
 *
 * <p>Parts: the session is the client channel's handler, the {@link Backend.Owner} of its compute node
 * connections and the loop that runs the client's commands; {@link SessionLogin} does the handshake and
 * the logins at a CN, {@link SessionMove} moves the session to another CN, {@link CommandInFlight}
 * follows the answer to the command sent, {@link ClientOutput} writes to the client,
 * {@link StatementBinding} maps prepared statement ids, and {@link KillCommand} answers KILL.
 *
 * <p>Threading: everything runs on the client channel's event loop, which the CN connections share;
 * other threads reach a session only through {@link #execute}.
 */
final class ProxySession extends ChannelInboundHandlerAdapter implements Backend.Owner {
    private static final Logger LOG = Logger.getLogger(ProxySession.class.getName());
    /**
     * Commands a client may send ahead of the answers before the proxy stops reading from it. The
     * socket is read all the time otherwise: turning reading on and off around each command (epoll_ctl
     * twice) was a syscall per query.
     */
    private static final int MAX_QUEUED_COMMANDS = 16;

    /** Where the session stands: its parts read it to know what a compute node's callback means. */
    enum Phase { GREETED, LOGGING_IN, IDLE, BUSY, MOVING, CLOSED }

    private final ProxyServer server;
    private final long id;
    private final SessionLogin login;
    private final SessionMove move;
    private Channel client;
    private ClientOutput out;
    private boolean registered;
    private Phase phase = Phase.GREETED;
    private volatile GroupRules.Routing routing;
    private volatile SessionState state;
    private final Deque<Packet> pending = new ArrayDeque<>();
    private Backend backend;
    /** Read by other threads (KILL routing, statistics). */
    private volatile Backend published;
    /**
     * The command whose answer is being relayed (BUSY), or null. Volatile for the admin API's session list
     * ({@link #view}), which shows its statement and time from another thread. Why from here and not from the
     * CN's process list: the proxy holds the command and when it sent it anyway, so the list costs one
     * volatile write per command, while the CN's list would take a call to each CN (often on another server)
     * and a join on CN connection ids, which change when a session moves.
     */
    private volatile CommandInFlight inFlight;
    /** The proxy is stopping: the session ends at its next transaction boundary. */
    private boolean shuttingDown;

    ProxySession(ProxyServer server, long id) {
        this.server = server;
        this.id = id;
        this.login = new SessionLogin(this, server);
        this.move = new SessionMove(this, server, login);
    }

    long id() {
        return id;
    }

    /** Runs {@code task} on this session's event loop. */
    void execute(Runnable task) {
        Channel c = client;
        if (c != null) {
            c.eventLoop().execute(task);
        }
    }

    /** The compute node the session is on now, or null (any thread). */
    Backend backend() {
        return published;
    }

    String user() {
        GroupRules.Routing r = routing;
        return r == null ? null : r.user();
    }

    /** The client's IP address ("" when unknown): compute nodes match accounts' host parts against it (any thread). */
    String clientAddress() {
        Channel c = client;
        return c != null && c.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
    }

    // ---- client side ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        out = new ClientOutput(client);
        registered = server.register(this);
        if (!registered) {
            out.error(0, MysqlException.of(MysqlError.CON_COUNT));
            close();
            return;
        }
        login.greet();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (msg instanceof DecoderEvent event) {
            decoderEvent(event);
            return;
        }
        Packet packet = (Packet) msg;
        switch (phase) {
            case GREETED -> login.handshakeResponse(packet);
            case LOGGING_IN -> login.authResponse(packet);
            default -> {
                pending.add(packet);
                if (pending.size() >= MAX_QUEUED_COMMANDS) {
                    client.config().setAutoRead(false); // a client that pipelines without reading waits
                }
                drive();
            }
        }
    }

    private void decoderEvent(DecoderEvent event) {
        if (event instanceof DecoderEvent.TooLarge tooLarge) {
            out.error(tooLarge.seq() + 1, MysqlException.of(MysqlError.NET_PACKET_TOO_LARGE));
            out.flush();
            // reading goes on to the end of the oversized packet (DiscardDone), then the connection closes
        } else if (event instanceof DecoderEvent.DiscardDone) {
            close();
        } else if (event instanceof DecoderEvent.OutOfOrder ooo) {
            sequenceError(ooo.seq() + 1, "a continuation packet out of order");
        }
    }

    /** Starts or continues a command loop: runs queued commands while the session is idle. */
    void drive() {
        while (phase == Phase.IDLE) {
            if (shuttingDown && !state.inTransaction()) {
                endForShutdown();
                return;
            }
            if (move.startIfDue()) {
                return;
            }
            Packet next = pending.poll();
            if (next == null) {
                return;
            }
            if (pending.size() < MAX_QUEUED_COMMANDS && !client.config().isAutoRead()) {
                client.config().setAutoRead(true);
            }
            startCommand(next);
        }
    }

    private void startCommand(Packet packet) {
        byte[] payload = packet.payload();
        if (packet.firstSeq() != 0) {
            sequenceError(packet.lastSeq() + 1, "command with sequence id " + packet.firstSeq());
            return;
        }
        if (payload.length == 0) {
            protocolError(packet.lastSeq() + 1, "empty command packet");
            return;
        }
        int cmd = payload[0] & 0xff;
        out.answering(packet);
        if (cmd == Commands.QUIT) {
            close();
            return;
        }
        boolean answered = cmd != Commands.STMT_CLOSE && cmd != Commands.STMT_SEND_LONG_DATA;
        if (answered && move.takeTransactionLost()) {
            out.error(MysqlException.of(MysqlError.CN_LOST_TRANSACTION));
            out.flush();
            return;
        }
        SessionStatement statement = cmd == Commands.QUERY ? SessionStatement.classify(CommandInFlight.text(payload)) : null;
        if (cmd == Commands.PROCESS_KILL || statement != null && statement.kind() == SessionStatement.Kind.KILL) {
            KillCommand.run(this, server, payload, cmd, statement);
            return;
        }
        if (backend == null) {
            pending.addFirst(packet);
            move.start();
            return;
        }
        SessionState.Prepared executing = null;
        if (StatementBinding.namesStatement(cmd)) {
            if (payload.length < StatementBinding.minimumLength(cmd)) {
                protocolError(out.nextSeq(), "statement command of " + payload.length + " bytes");
                return;
            }
            executing = state.statement(StatementBinding.clientId(payload));
            if (executing == null) {
                if (answered) {
                    out.error(MysqlException.of(MysqlError.UNKNOWN_STMT_HANDLER,
                            Integer.toUnsignedString(StatementBinding.clientId(payload)), "mysqld_stmt_execute"));
                    out.flush();
                }
                return;
            }
            payload = StatementBinding.bind(executing, cmd, payload);
        }
        backend.send(0, payload);
        if (!answered) {
            if (cmd == Commands.STMT_CLOSE) {
                state.closed(executing.clientId);
            }
            return;
        }
        inFlight = new CommandInFlight(packet, statement, executing, login.deprecateEof(), state.status());
        phase = Phase.BUSY;
    }

    /** The command ran to its end: what it changed in the session is recorded. */
    private void complete() {
        if (inFlight.endedConnection()) {
            // the compute node closes after this error (relayed already): so does the client's connection,
            // and the CN did not fail
            LOG.log(Level.FINE, "proxy connection {0}: {1} ended the connection with error {2}",
                    new Object[] {id, backend, inFlight.errorCode()});
            close();
            return;
        }
        inFlight.completed(state);
        inFlight = null;
        phase = Phase.IDLE;
        drive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == TlsUpgrader.TLS_STARTED) {
            login.tlsStarted(); // the handshake response comes again, encrypted, as packet 2
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        out.writabilityChanged(backend, server.settings().netWriteTimeout(), this::writeTimedOut);
    }

    /** The client has read nothing for the write timeout while answers wait for it. */
    private void writeTimedOut() {
        if (!client.isWritable() && phase != Phase.CLOSED) {
            LOG.log(Level.FINE, "proxy connection {0}: the client read nothing for {1} ms; closing",
                    new Object[] {id, server.settings().netWriteTimeout().toMillis()});
            client.close(); // at once: close() would have the last writes wait for the client too
            close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        login.clientClosed();
        out.clientClosed();
        close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset by the client, or bytes that are no TLS record, are the client's; anything else is a bug
        // worth a stack trace
        boolean clients = cause instanceof java.io.IOException || cause instanceof io.netty.handler.codec.DecoderException;
        LOG.log(clients ? Level.FINE : Level.WARNING, "proxy connection " + id + " failed", cause);
        close();
    }

    // ---- compute node side ----

    @Override
    public void loggedIn(Backend b, ByteBuf ok) {
        login.loggedIn(b, ok);
    }

    @Override
    public void loginExchange(Backend b, ByteBuf frame) {
        login.loginExchange(b, frame);
    }

    @Override
    public void loginRefused(Backend b, ByteBuf error) {
        login.loginRefused(b, error);
    }

    @Override
    public void loginFailed(Backend b, String why) {
        login.loginFailed(b, why);
    }

    @Override
    public void frame(Backend b, ByteBuf frame) {
        if (move.replaysOn(b)) {
            move.replayFrame(frame);
            return;
        }
        if (b == backend && phase != Phase.BUSY && phase != Phase.CLOSED && Frames.header(frame) == 0xff) {
            // an error to a command that gets no answer (a malformed COM_STMT_SEND_LONG_DATA, ...): the CN
            // closes after it; the client hears it (with the CN's sequence id) and is closed as well
            LOG.log(Level.FINE, "proxy connection {0}: {1} ended the connection with an error", new Object[] {id, b});
            out.forward(frame);
            close();
            return;
        }
        if (b != backend || phase != Phase.BUSY) {
            LOG.log(Level.FINE, "proxy connection {0}: unexpected packet from {1}", new Object[] {id, b});
            frame.release();
            if (b == backend && phase != Phase.CLOSED) {
                b.close(); // out of step with the compute node: treated as its failure
            }
            return;
        }
        boolean done;
        try {
            done = inFlight.answer(frame, state);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "proxy connection " + id + ": " + b + " broke the protocol: " + e.getMessage());
            frame.release();
            out.error(MysqlException.of(MysqlError.CN_LOST_STATEMENT));
            close();
            return;
        }
        out.relay(frame);
        if (done) {
            out.flush();
            complete();
        }
    }

    @Override
    public void readComplete(Backend b) {
        if (b == backend && inFlight != null && inFlight.relayed() > 0) {
            out.flush();
        }
    }

    @Override
    public void closed(Backend b) {
        if (move.replaysOn(b)) {
            move.replayBroke(b);
            return;
        }
        if (b != backend) {
            return;
        }
        server.nodes().detach(b.endpoint());
        backend = null;
        published = null;
        if (phase != Phase.CLOSED) {
            move.failover(b);
        }
    }

    // ---- proxy shutdown ----

    /** The proxy is stopping: the session ends now if it is outside a transaction, else when it ends. */
    void shutdown() {
        shuttingDown = true;
        drive();
    }

    /** The grace period is over: the session ends now, its transaction (if any) rolled back by the CN. */
    void shutdownNow() {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (phase == Phase.BUSY && inFlight.relayed() > 0) {
            close(); // half an answer went out: nothing more can be said in protocol terms
        } else if (phase == Phase.BUSY) {
            endWith(MysqlException.of(MysqlError.SERVER_SHUTDOWN));
        } else {
            endForShutdown();
        }
    }

    /**
     * Tells the client ERR 1053 and closes: as the answer to a command waiting its turn, else unasked
     * (sequence 0) as MySQL does at shutdown: MariaDB Connector/J reads it as the answer to its next command
     * (Connector/J drops unread input before a command and sees only the closed connection).
     */
    private void endForShutdown() {
        Packet waiting = pending.poll();
        out.error(waiting == null ? 0 : waiting.lastSeq() + 1, MysqlException.of(MysqlError.SERVER_SHUTDOWN));
        close();
    }

    // ---- where the session stands (for the proxy's placement check and connection list) ----

    /** Asks the session to leave its CN (drained, group changed); it goes at its next transaction boundary. */
    void requestMove() {
        move.requestMove();
    }

    /** Asks the session to move to a less loaded CN of its group at its next transaction boundary. */
    void requestRebalance() {
        move.requestRebalance();
    }

    /** The CN {@code endpoint} is out of the cluster's member list (see {@link SessionMove#computeNodeLeft}). */
    void computeNodeLeft(String endpoint) {
        move.computeNodeLeft(endpoint);
    }

    /** Whether the session may be asked to move for the load: logged in, no move pending, no transaction open. */
    boolean rebalanceCandidate() {
        SessionState st = state;
        return !move.wanted() && published != null && st != null && !st.inTransaction();
    }

    /** What the proxy's connection list shows of the session; null before its login. */
    ProxySessions.SessionView view() {
        GroupRules.Routing r = routing;
        SessionState st = state;
        if (r == null || st == null) {
            return null;
        }
        CommandInFlight running = inFlight;
        return new ProxySessions.SessionView(id, r.user(), r.group(), computeNode(), st.inTransaction(),
                running == null ? null : running.statementText(ProxySessions.STATEMENT_CHARS),
                running == null ? null : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - running.sentNanos()));
    }

    /** The group the session belongs to, or null before its login. */
    String group() {
        GroupRules.Routing r = routing;
        return r == null ? null : r.group();
    }

    /** The endpoint of the CN the session is on, or null. */
    String computeNode() {
        Backend b = published;
        return b == null ? null : b.endpoint();
    }

    /**
     * Whether the session's CN no longer serves its group (drained, group changed, gone).
     *
     * @param serving group of each non-draining CN endpoint
     */
    boolean misplaced(Map<String, String> serving) {
        Backend b = published;
        GroupRules.Routing r = routing;
        return b != null && r != null && !r.group().equals(serving.get(b.endpoint()));
    }

    // ---- for the session's parts (SessionLogin, SessionMove), on its event loop ----

    Channel client() {
        return client;
    }

    ClientOutput out() {
        return out;
    }

    Phase phase() {
        return phase;
    }

    void phase(Phase next) {
        phase = next;
    }

    SessionState state() {
        return state;
    }

    SessionMove move() {
        return move;
    }

    /** The client's handshake response was read: the login at a CN of its group starts. */
    void loggingIn(GroupRules.Routing routing, SessionState state) {
        this.routing = routing;
        this.state = state;
        phase = Phase.LOGGING_IN;
    }

    /** Commands go to {@code next} from now on (a login's or a move's); the CN the session was on is quit. */
    void switchTo(Backend next) {
        Backend old = backend;
        if (old != null) {
            server.nodes().detach(old.endpoint());
            backend = null;
            old.quit();
        }
        backend = next;
        published = next;
        server.nodes().attach(next.endpoint());
        next.channel().config().setAutoRead(client.isWritable());
    }

    /** Takes the first command waiting its turn off the queue; null when none waits. */
    Packet takeWaiting() {
        return pending.poll();
    }

    /** Puts {@code command} first in the queue, to run on the session's next CN. */
    void runNext(Packet command) {
        pending.addFirst(command);
    }

    /** Takes the command in flight (the session is BUSY) off the session: its CN broke. */
    CommandInFlight takeInFlight() {
        CommandInFlight lost = inFlight;
        inFlight = null;
        return lost;
    }

    /** How long the command in flight has waited for the first byte of its answer; 0 when no command waits so. */
    long unansweredNanos() {
        return phase == Phase.BUSY && inFlight.relayed() == 0 ? System.nanoTime() - inFlight.sentNanos() : 0;
    }

    /** Answers the client's last packet with {@code error} and ends the session. */
    void endWith(MysqlException error) {
        out.error(error);
        close();
    }

    void protocolError(int seq, String why) {
        LOG.log(Level.FINE, "proxy connection {0}: {1}", new Object[] {id, why});
        out.error(seq, MysqlException.of(MysqlError.MALFORMED_PACKET));
        close();
    }

    /** ERR 1156 (what MySQL answers a wrong sequence id) and close. */
    void sequenceError(int seq, String why) {
        LOG.log(Level.FINE, "proxy connection {0}: {1}", new Object[] {id, why});
        out.error(seq, MysqlException.of(MysqlError.NET_PACKETS_OUT_OF_ORDER));
        close();
    }

    /**
     * Ends the session: the CN connection is quit, the client connection closed after what was written to it.
     * Idempotent.
     */
    void close() {
        phase = Phase.CLOSED;
        Backend b = backend;
        backend = null;
        published = null;
        if (b != null) {
            server.nodes().detach(b.endpoint());
            b.quit();
        }
        login.close();
        move.close();
        pending.clear();
        if (out != null) {
            out.writeRelayed(); // (released by the channel when it is closed)
        }
        if (client != null && client.isActive()) {
            LingeringClose.close(client); // the client reads the last ERR even if it sent more after it
        }
        if (registered) {
            registered = false;
            server.unregister(this);
        }
    }

    // ---- helpers ----

    static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
