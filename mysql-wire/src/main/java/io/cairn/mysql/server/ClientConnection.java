package io.cairn.mysql.server;

import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.ClientTraffic;
import io.cairn.mysql.Credential;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.SessionHandler;
import io.cairn.mysql.SessionInfo;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.local.LocalChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection: the Netty handler that receives decoded packets on the event loop and the state
 * machine (greeting → handshake response → optional auth switch → command phase) that processes them on
 * the connection's {@link SerialExecutor}, so that authentication look-ups and session handler calls never
 * block an event loop.
 *
 * <p>Failure behaviour: a protocol violation (malformed packet, wrong sequence id, oversized packet) gets
 * an ERR packet when one can be sent, then the channel is closed; failed authentication gets ERR 1045 and
 * close. Exceptions are logged at FINE (they are the client's fault); the server keeps running. A client
 * that is not logged in {@link MysqlServerConfig#connectTimeout()} after connecting is disconnected. An
 * unexpected exception while a packet is processed (a bug, here or in the engine) is logged at WARNING
 * and answered with ERR 1105, then the connection is closed: it never leaves the client waiting. When the
 * channel closes for any reason, {@link SessionHandler#close()} runs once, after the last command, and only
 * then does the connection stop counting towards {@link MysqlServerConfig#maxConnections()}. A session idle
 * between commands for longer than its {@link SessionHandler#idleTimeout()} (wait_timeout) gets ERR 4031
 * (sequence id 0, unasked, as MySQL 8.0.24+ sends it) and is closed.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());
    private static final int PAUSE_READING_AT = 32;
    private static final int RESUME_READING_AT = 8;

    private enum Phase { GREETING_SENT, AUTH_SWITCH_SENT, COMMAND, CLOSED }

    private final MysqlServer server;
    private final MysqlServerConfig config;
    private final long id;
    private final SerialExecutor tasks;
    private final AtomicInteger queued = new AtomicInteger();
    private final ClientTraffic traffic;

    private Channel channel;
    private PacketWriter out;
    private PacketDecoder decoder;
    // event loop side
    private boolean refused;
    private ScheduledFuture<?> loginDeadline;
    /** Set (by the serial task) when the login succeeded; read by the login deadline on the event loop. */
    private volatile boolean authenticated;
    /** Packets received (counted on the event loop): an idle deadline holds only if none came since it was set. */
    private volatile long received;
    /** Set by the serial tasks, cancelled by the event loop when the channel closes. */
    private volatile ScheduledFuture<?> idleDeadline;

    // state below is touched only by the serial tasks
    private Phase phase = Phase.GREETING_SENT;
    private int expectedSeq = 1;
    private byte[] nonce;
    private Handshake.Response response;
    private Credential credential;
    /** The client's address: the peer's, or the one a proxy's login names. */
    private SocketAddress remote;
    private CommandDispatcher dispatcher;
    /** What the proxy counted, for a login through a proxy; else null. */
    private SessionInfo.ProxyCounts proxyCounts;
    /** The client's connection uses TLS: it switched (SSLRequest), or the proxy's login says its client did. */
    private boolean secure;
    /** Counts idle deadlines set: a deadline set before the latest command is void. */
    private long idleArmed;

    /** Read by {@link #kill} from any thread. */
    private volatile SessionHandler handler;

    ClientConnection(MysqlServer server, MysqlServerConfig config, long id, Executor handlerExecutor,
            ClientTraffic traffic) {
        this.server = server;
        this.traffic = traffic;
        this.config = config;
        this.id = id;
        this.tasks = new SerialExecutor(handlerExecutor);
    }

    long id() {
        return id;
    }

    Channel channel() {
        return channel;
    }

    /** KILL [QUERY]: cancel the running command, and unless {@code queryOnly} close the connection. */
    void kill(boolean queryOnly) {
        SessionHandler h = handler;
        if (h != null) {
            h.cancel();
        }
        if (!queryOnly && channel != null) {
            channel.close();
        }
    }

    // ---- event loop side ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        out = new PacketWriter(channel, config.netWriteTimeout());
        decoder = ctx.pipeline().get(PacketDecoder.class);
        if (!server.register(this)) {
            // refused here, on the event loop: a flood of connections over the limit costs no handler thread
            refused = true;
            ctx.writeAndFlush(PacketWriter.frame(0, Responses.error(MysqlException.of(MysqlError.CON_COUNT))))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            loginDeadline = ctx.executor().schedule(this::loginTimedOut, config.connectTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            tasks.execute(this::sendGreeting);
        }
        ctx.fireChannelActive();
    }

    private void loginTimedOut() {
        if (!authenticated) {
            LOG.log(Level.FINE, "connection {0}: not logged in within {1} ms; closing",
                    new Object[] {id, config.connectTimeout().toMillis()});
            channel.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            return;
        }
        received++; // only this event loop writes it
        if (queued.incrementAndGet() >= PAUSE_READING_AT) {
            channel.config().setAutoRead(false);
        }
        tasks.execute(() -> {
            try {
                onMessage(msg);
            } finally {
                if (queued.decrementAndGet() <= RESUME_READING_AT && !channel.config().isAutoRead()
                        && phase != Phase.CLOSED) {
                    channel.config().setAutoRead(true);
                }
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == TlsUpgrader.TLS_STARTED) {
            tasks.execute(() -> {
                expectedSeq = 2;
                secure = true;
            });
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        out.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (loginDeadline != null) {
            loginDeadline.cancel(false);
        }
        if (idleDeadline != null) {
            idleDeadline.cancel(false);
        }
        out.writabilityChanged(); // wake a writer waiting for a channel that will never drain
        if (!refused) {
            tasks.execute(this::closeSession);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "connection " + id + " failed; closing", cause);
        ctx.close();
    }

    // ---- serial task side ----

    private void sendGreeting() {
        nonce = AuthPlugins.nonce();
        int caps = serverCapabilities();
        out.sequence(0);
        out.send(Handshake.greeting(config.serverVersion(), id, nonce, caps, ServerStatus.AUTOCOMMIT,
                config.defaultAuthPlugin().wireName()));
        out.flush();
    }

    private int serverCapabilities() {
        return Capabilities.SERVER_DEFAULT | (config.tls() ? Capabilities.SSL : 0);
    }

    private void onMessage(Object msg) {
        if (phase == Phase.CLOSED) {
            return;
        }
        try {
            if (msg instanceof DecoderEvent event) {
                onDecoderEvent(event);
            } else if (msg instanceof Packet packet) {
                onPacket(packet);
            }
        } catch (MalformedPacketException e) {
            LOG.log(Level.FINE, "connection {0}: malformed packet: {1}", new Object[] {id, e.getMessage()});
            fail(out.sequence(), MysqlException.of(MysqlError.MALFORMED_PACKET));
        } catch (MysqlException e) {
            fail(out.sequence(), e);
        } catch (RuntimeException | Error e) {
            // an authenticator or session factory that failed, or a bug here: the client must not wait forever
            LOG.log(Level.WARNING, "connection " + id + ": internal error in phase " + phase + "; closing", e);
            fail(out.sequence(), MysqlException.of(MysqlError.UNKNOWN_ERROR, "internal error"));
        }
    }

    private void onDecoderEvent(DecoderEvent event) {
        if (event instanceof DecoderEvent.TooLarge tooLarge) {
            LOG.log(Level.FINE, "connection {0}: packet bigger than max_allowed_packet", id);
            out.sequence(tooLarge.seq() + 1);
            out.send(Responses.error(MysqlException.of(MysqlError.NET_PACKET_TOO_LARGE)));
            out.flush();
        } else if (event instanceof DecoderEvent.DiscardDone) {
            closeChannel();
        } else if (event instanceof DecoderEvent.OutOfOrder ooo) {
            fail(ooo.seq() + 1, MysqlException.of(MysqlError.NET_PACKETS_OUT_OF_ORDER));
        }
    }

    private void onPacket(Packet packet) throws MalformedPacketException, MysqlException {
        int expected = phase == Phase.COMMAND ? 0 : expectedSeq;
        if (packet.firstSeq() != expected) {
            LOG.log(Level.FINE, "connection {0}: sequence id {1}, expected {2}",
                    new Object[] {id, packet.firstSeq(), expected});
            fail(packet.lastSeq() + 1, MysqlException.of(MysqlError.NET_PACKETS_OUT_OF_ORDER));
            return;
        }
        out.sequence(packet.lastSeq() + 1);
        switch (phase) {
            case GREETING_SENT -> onHandshakeResponse(packet.payload());
            case AUTH_SWITCH_SENT -> authenticate(packet.payload());
            case COMMAND -> {
                if (dispatcher.dispatch(packet.payload()) == CommandDispatcher.Next.CLOSE) {
                    closeChannel();
                } else {
                    armIdleDeadline();
                }
            }
            default -> throw new IllegalStateException("packet in phase " + phase);
        }
    }

    private void onHandshakeResponse(byte[] payload) throws MalformedPacketException, MysqlException {
        if (Handshake.isSslRequest(payload)) {
            // TLS is negotiated by the TlsUpgrader before packets reach us; getting here means the client
            // asked for TLS the server did not offer, or asked twice.
            throw new MalformedPacketException("SSLRequest without TLS configured");
        }
        response = Handshake.parseResponse(payload);
        remote = channel.remoteAddress();
        byte[] authResponse = response.authResponse();
        AuthPlugin clientPlugin = response.plugin() == null
                ? AuthPlugin.MYSQL_NATIVE_PASSWORD : AuthPlugin.fromWireName(response.plugin());
        ProxyLogin.Claim claim = null;
        if (ProxyLogin.PLUGIN.equals(response.plugin())) {
            // checked before the look-up: the claim names the client, whose address selects the account
            claim = ProxyLogin.verify(config.proxySecret(), nonce, response.user(), authResponse);
            if (claim != null && !fromClusterServer()) {
                LOG.log(Level.FINE, "connection {0}: cairn_proxy login of {1} without a cluster certificate",
                        new Object[] {id, response.user()});
                claim = null;
            }
            if (claim == null) {
                LOG.log(Level.FINE, "connection {0}: refused cairn_proxy login of {1}", new Object[] {id, response.user()});
                throw accessDenied();
            }
            remote = clientAddress(claim.clientAddress(), remote);
            secure = claim.clientTls(); // what matters is the client's own connection, to the proxy
            proxyCounts = new SessionInfo.ProxyCounts(claim.connections(), claim.userConnections(),
                    claim.mode() == ProxyLogin.Mode.ASSERT);
        }
        Optional<Credential> found = server.authenticator().lookup(response.user(), remote);
        if (found.isEmpty()) {
            throw accessDenied();
        }
        credential = found.get();
        if (claim != null) {
            if (claim.mode() == ProxyLogin.Mode.ASSERT) {
                openSession(); // the proxy verified this user's password on its first login
                return;
            }
            // the client answered the proxy's salt: verify against that, here and after an auth switch
            nonce = claim.salt();
            authResponse = claim.clientAuth();
            clientPlugin = AuthPlugin.fromWireName(claim.clientPlugin().isEmpty() ? null : claim.clientPlugin());
        }
        if (clientPlugin != credential.plugin()) {
            phase = Phase.AUTH_SWITCH_SENT;
            out.send(new PacketBuilder(64).u8(0xfe).nulString(credential.plugin().wireName()).bytes(nonce).u8(0));
            out.flush();
            expectedSeq = out.sequence();
            return;
        }
        authenticate(authResponse);
    }

    private void authenticate(byte[] authResponse) throws MysqlException {
        if (!AuthPlugins.verify(credential, nonce, authResponse)) {
            MysqlException refusal = server.authenticator().loginFailed(response.user(), remote);
            throw refusal != null ? refusal : accessDenied();
        }
        if (credential.plugin() == AuthPlugin.CACHING_SHA2_PASSWORD && !credential.emptyPassword()) {
            out.send(new PacketBuilder(2).u8(0x01).u8(AuthPlugins.FAST_AUTH_SUCCESS));
        }
        openSession();
    }

    private void openSession() throws MysqlException {
        int agreed = response.capabilities() & serverCapabilities();
        SessionInfo info = new SessionInfo(id, response.user(), response.database(), response.attributes(),
                agreed, remote, secure, proxyCounts, traffic);
        SessionHandler h = server.sessionFactory().open(info);
        handler = h;
        dispatcher = new CommandDispatcher(h, out, agreed, config, server);
        phase = Phase.COMMAND;
        authenticated = true;
        loginDeadline.cancel(false);
        if (decoder != null) {
            // before the OK goes out (same event loop, in order): the client's next packet may be big
            channel.eventLoop().execute(decoder::authenticated);
        }
        out.send(Responses.ok(0, 0, ServerStatus.of(h), 0, "", false));
        out.flush();
        nonce = null;
        credential = null;
        armIdleDeadline();
    }

    /** After a command (or the login): the session's idle timeout starts now. */
    private void armIdleDeadline() {
        if (idleDeadline != null) {
            idleDeadline.cancel(false);
            idleDeadline = null;
        }
        java.time.Duration timeout = handler.idleTimeout();
        if (timeout == null || phase != Phase.COMMAND) {
            return;
        }
        long seen = received;
        long generation = ++idleArmed;
        idleDeadline = channel.eventLoop().schedule(() -> {
            if (received == seen) {
                tasks.execute(() -> idleTimedOut(seen, generation));
            }
        }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void idleTimedOut(long seen, long generation) {
        if (phase != Phase.COMMAND || received != seen || generation != idleArmed) {
            return; // a command came meanwhile; its end sets a new deadline
        }
        LOG.log(Level.FINE, "connection {0}: idle longer than its wait_timeout; closing", id);
        fail(0, MysqlException.of(MysqlError.CLIENT_INTERACTION_TIMEOUT));
    }

    /**
     * Whether the peer may use a {@link ProxyLogin}: always without cluster TLS (the secret alone), and
     * with it only over the in-JVM address or a TLS connection whose peer presented a certificate of
     * the cluster CA.
     */
    private boolean fromClusterServer() {
        ClusterCertificates cluster = config.clusterCertificates();
        if (cluster == null || channel instanceof LocalChannel) {
            return true;
        }
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        return tls != null && cluster.fromClusterServer(tls.engine().getSession());
    }

    /**
     * The address a proxy claims for its client (an IP literal; no name is resolved), or {@code peer}
     * when the claim has none (a proxy of an older version).
     */
    private static SocketAddress clientAddress(String claimed, SocketAddress peer) {
        if (claimed.isEmpty() || !(claimed.indexOf(':') >= 0 || claimed.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)))) {
            return peer;
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByName(claimed), 0);
        } catch (java.net.UnknownHostException e) {
            return peer;
        }
    }

    private MysqlException accessDenied() {
        SocketAddress remote = this.remote != null ? this.remote : channel.remoteAddress();
        String host = remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "%";
        boolean usingPassword = response != null && response.authResponse().length > 0;
        return MysqlException.of(MysqlError.ACCESS_DENIED, response == null ? "" : response.user(), host,
                usingPassword ? "YES" : "NO");
    }

    /** Sends {@code error} with sequence id {@code seq}, then closes the connection. */
    private void fail(int seq, MysqlException error) {
        out.sequence(seq);
        out.send(Responses.error(error));
        out.flush();
        phase = Phase.CLOSED;
        LingeringClose.close(channel); // so that the client reads the ERR even if it sent more
    }

    private void closeChannel() {
        phase = Phase.CLOSED;
        channel.close();
    }

    private void closeSession() {
        phase = Phase.CLOSED;
        out.discard();
        SessionHandler h = handler;
        handler = null;
        if (dispatcher != null) {
            dispatcher.closeCursors(); // before the session closes: a cursor's statement ends first
        }
        if (h != null) {
            try {
                h.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "session handler of connection " + id + " failed to close", e);
            }
        }
        server.unregister(this);
    }
}
