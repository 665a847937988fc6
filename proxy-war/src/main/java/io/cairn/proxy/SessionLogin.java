package io.cairn.proxy;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.server.AuthPlugins;
import io.cairn.mysql.server.Capabilities;
import io.cairn.mysql.server.Handshake;
import io.cairn.mysql.server.MalformedPacketException;
import io.cairn.mysql.server.Packet;
import io.cairn.mysql.server.PacketDecoder;
import io.cairn.mysql.server.ProxyLogin;
import io.cairn.mysql.server.ServerStatus;
import io.cairn.proxy.ProxySession.Phase;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The login of one client session. First the proxy's side of the handshake with the client: its own v10
 * greeting and salt, the client's HandshakeResponse (after an SSLRequest, as packet 2), which gives the
 * group and the state to start from. Then the login on the client's behalf at a compute node of its group
 * ({@link Backend}, VERIFY: the CN checks the password, and an auth switch goes between client and CN), CN
 * after CN until one answers. A move logs in the same way with ASSERT, and what comes of that login is
 * {@link SessionMove}'s.
 *
 * <p>Failure: a client not logged in within {@link ProxySettings#clientLoginTimeout()} (it stalled, or never
 * answered an auth switch) is disconnected. A CN that fails to log the client in is skipped for a while
 * ({@link CircuitBreaker}) and the next is tried, unless the client was already asked for more
 * authentication: then the login waited on the client, which gets ERR 1105, and the CN is not blamed. A
 * refusal (wrong password, unknown database) reaches the client as the CN sent it. With no usable CN the
 * first login looks again until {@link ProxySettings#loginTimeout()}, then the client gets ERR 1105.
 *
 * <p>Threading: the session's event loop only; the compute node's callbacks come through the session
 * (the {@link Backend.Owner} of every connection it opens).
 */
final class SessionLogin {
    private static final Logger LOG = Logger.getLogger(SessionLogin.class.getName());
    /** How often a login that found no usable CN looks again, until the login timeout. */
    private static final long NO_CN_RETRY_MILLIS = 100;

    private final ProxySession session;
    private final ProxyServer server;
    private final byte[] salt = AuthPlugins.nonce();
    /** Disconnects the client unless it is logged in by then. */
    private ScheduledFuture<?> loginDeadline;
    private Handshake.Response hello;
    /** The client switched to TLS (SSLRequest). */
    private boolean tls;
    /** This proxy's client connections of the session's user when it logged in, itself included (0: not yet counted). */
    private int userConnections;
    /** The client's capabilities agreed with the proxy. */
    private int capabilities;
    /** The compute node connection logging in now, or null. */
    private Backend candidate;
    /** The CNs this login (or move) has tried. */
    private final Set<String> tried = new HashSet<>();
    /** Until when a login that finds no usable CN waits for one (the login timeout). */
    private long loginDeadlineNanos;

    SessionLogin(ProxySession session, ProxyServer server) {
        this.session = session;
        this.server = server;
    }

    // ---- the handshake with the client ----

    /** Sends the proxy's greeting and starts the client's login timeout. */
    void greet() {
        ClientOutput out = session.out();
        out.write(0, Handshake.greeting(server.settings().serverVersion(), session.id(), salt,
                server.clientCapabilities(), ServerStatus.AUTOCOMMIT, "caching_sha2_password").toByteArray());
        out.flush();
        loginDeadline = session.client().eventLoop().schedule(this::loginTimedOut,
                server.settings().clientLoginTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loginTimedOut() {
        if (session.phase() == Phase.GREETED || session.phase() == Phase.LOGGING_IN) {
            LOG.log(Level.FINE, "proxy connection {0}: not logged in within {1} ms; closing",
                    new Object[] {session.id(), server.settings().clientLoginTimeout().toMillis()});
            session.client().close(); // what it has not read yet goes too
            session.close();
        }
    }

    /** The client connection closed: the login timeout has nothing left to end. */
    void clientClosed() {
        if (loginDeadline != null) {
            loginDeadline.cancel(false);
        }
    }

    /** The client switched to TLS: its handshake response comes again, encrypted, as packet 2. */
    void tlsStarted() {
        tls = true;
    }

    /** The client's HandshakeResponse: the session starts logging in at a CN of the client's group. */
    void handshakeResponse(Packet packet) {
        try {
            if (packet.firstSeq() != (tls ? 2 : 1)) {
                session.sequenceError(packet.lastSeq() + 1, "handshake response with sequence id " + packet.firstSeq());
                return;
            }
            if (Handshake.isSslRequest(packet.payload())) {
                throw new MalformedPacketException(tls ? "a second SSLRequest" : "SSLRequest, but the proxy does not offer TLS");
            }
            hello = Handshake.parseResponse(packet.payload());
        } catch (MalformedPacketException e) {
            LOG.log(Level.FINE, "proxy connection {0}: {1}", new Object[] {session.id(), e.getMessage()});
            session.out().error(packet.lastSeq() + 1, MysqlException.of(MysqlError.MALFORMED_PACKET));
            session.close();
            return;
        }
        capabilities = hello.capabilities() & ProxyServer.CAPABILITIES; // TLS ends here: never asked of a CN
        GroupRules.Routing routing = server.settings().groupRules().route(hello.user(), hello.attributes());
        userConnections = server.userConnected(routing.user());
        session.loggingIn(routing, new SessionState(hello.database()));
        session.out().answering(packet);
        loginDeadlineNanos = System.nanoTime() + server.settings().loginTimeout().toNanos();
        connectNext();
    }

    /** A packet from the client while it logs in: its answer to an auth switch, for the compute node. */
    void authResponse(Packet packet) {
        if (candidate == null || !candidate.exchanged()) {
            session.protocolError(packet.lastSeq() + 1, "a packet before the login finished");
            return;
        }
        candidate.sendAuth(packet.firstSeq(), packet.payload());
    }

    /** Whether the client (and so each of its compute node connections) uses CLIENT_DEPRECATE_EOF. */
    boolean deprecateEof() {
        return (capabilities & Capabilities.DEPRECATE_EOF) != 0;
    }

    // ---- the login at a compute node ----

    /** A move's login: at a CN of the group other than {@code current} (null: any). */
    void connectElsewhere(Backend current) {
        tried.clear();
        if (current != null) {
            tried.add(current.endpoint());
        }
        connectNext();
    }

    /** Logs in to the next untried CN of the group (first login, or a move). */
    void connectNext() {
        ComputeNodes.Cn cn = server.nodes().pick(session.group(), tried);
        if (cn == null) {
            noComputeNode();
            return;
        }
        tried.add(cn.endpoint());
        boolean first = session.phase() == Phase.LOGGING_IN;
        session.move().step("dial " + cn.name());
        Backend.Login login = new Backend.Login(session.user(), session.state().database(), hello.charset(),
                capabilities, hello.attributes(), first ? ProxyLogin.Mode.VERIFY : ProxyLogin.Mode.ASSERT,
                hello.plugin() == null ? "mysql_native_password" : hello.plugin(), first ? salt : new byte[0],
                first ? hello.authResponse() : new byte[0],
                new ProxyLogin.Client(session.clientAddress(), tls, server.connections(), userConnections));
        candidate = new Backend(cn, login, server.settings().secret(), server.settings().clusterTls(),
                server.settings().loginTimeout(), session);
        server.dial(session.client().eventLoop(), candidate);
    }

    private void noComputeNode() {
        if (session.phase() == Phase.LOGGING_IN && System.nanoTime() < loginDeadlineNanos
                && server.nodes().mayServeSoon(session.group())) {
            // Membership can show no usable CN for a moment: a Hazelcast member that rejoins after a
            // false suspicion rebuilds its member list (chaos long run 3: 1105s for 1.4 s on a proxy
            // whose CNs were all alive). A login waits for one, up to the login timeout.
            session.client().eventLoop().schedule(() -> {
                if (session.phase() == Phase.LOGGING_IN && candidate == null) {
                    connectNext();
                }
            }, NO_CN_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        MysqlException error = MysqlException.of(MysqlError.NO_COMPUTE_NODE, ProxySession.abbreviate(session.group()));
        if (session.phase() == Phase.LOGGING_IN) {
            session.endWith(error);
        } else {
            tried.clear();
            session.move().failed(error);
        }
    }

    /** {@link Backend.Owner#loggedIn}: the session goes on there (a move: once its state is replayed there). */
    void loggedIn(Backend b, ByteBuf ok) {
        if (b != candidate || session.phase() == Phase.CLOSED) {
            ok.release();
            b.quit();
            return;
        }
        server.nodes().breaker().succeeded(b.endpoint());
        candidate = null;
        tried.clear();
        if (session.phase() == Phase.LOGGING_IN) {
            loginDeadline.cancel(false);
            // before the OK goes out: the client's next packet may be as big as max_allowed_packet
            Channel client = session.client();
            PacketDecoder decoder = client.pipeline().get(PacketDecoder.class);
            if (decoder != null) {
                decoder.authenticated();
            }
            client.writeAndFlush(ok);
            session.switchTo(b);
            LOG.log(Level.FINE, "proxy connection {0} ({1}, group {2}) on {3}",
                    new Object[] {session.id(), session.user(), session.group(), b});
            session.phase(Phase.IDLE);
            session.drive();
        } else {
            ok.release();
            session.move().loggedIn(b);
        }
    }

    /** {@link Backend.Owner#loginExchange}: an auth switch or more auth data, for the client. */
    void loginExchange(Backend b, ByteBuf frame) {
        if (b != candidate || session.phase() != Phase.LOGGING_IN) {
            frame.release();
            return;
        }
        session.out().forward(frame);
        session.out().flush();
    }

    /** {@link Backend.Owner#loginRefused}: the CN refused the user; the session ends. */
    void loginRefused(Backend b, ByteBuf error) {
        if (b != candidate) {
            error.release();
            return;
        }
        candidate = null;
        if (session.phase() == Phase.LOGGING_IN) {
            session.client().writeAndFlush(error); // the CN's own answer: access denied, unknown database …
            session.close();
            return;
        }
        session.move().refused(error);
    }

    /** {@link Backend.Owner#loginFailed}: the CN failed before it accepted or refused the user. */
    void loginFailed(Backend b, String why) {
        if (b != candidate) {
            return;
        }
        LOG.log(Level.INFO, "CAIRN0301W: " + b + " failed for proxy connection " + session.id() + ": " + why
                + "; skipping it for a while");
        session.move().step("failed: " + why);
        if (!b.exchanged()) {
            // once the client was asked for more authentication, the login waits on the client, not the CN
            // (a client that never answers must not make every login skip this CN)
            server.nodes().breaker().failed(b.endpoint());
        }
        candidate = null;
        if (session.phase() == Phase.LOGGING_IN && b.exchanged()) {
            session.endWith(MysqlException.of(MysqlError.CN_LOST_STATEMENT));
            return;
        }
        if (session.phase() == Phase.LOGGING_IN || session.phase() == Phase.MOVING) {
            connectNext();
        }
    }

    /** The session ends: a login in progress is dropped, and the user's connection no longer counted. */
    void close() {
        if (candidate != null) {
            candidate.close();
            candidate = null;
        }
        if (userConnections > 0) {
            userConnections = 0;
            server.userDisconnected(session.user());
        }
    }
}
