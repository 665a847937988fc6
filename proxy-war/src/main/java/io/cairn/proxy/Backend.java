package io.cairn.proxy;

import io.cairn.mysql.server.Capabilities;
import io.cairn.mysql.server.Handshake;
import io.cairn.mysql.server.MalformedPacketException;
import io.cairn.mysql.server.ProxyLogin;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.local.LocalChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLParameters;

/**
 * One connection from the proxy to a compute node's MySQL port, logged in for one client session
 * with the {@link ProxyLogin} plugin. It reads the greeting, answers it, and reports how the login
 * ends; then it hands every packet to its {@link Owner}. Runs on the owning session's event loop:
 * every method and callback is called there.
 *
 * <p>Failure: a compute node that does not greet, refuses before authentication, closes or does not
 * answer within the login timeout is reported through {@link Owner#loginFailed} (the caller marks it
 * down and tries another); an ERR after the credentials is a refusal of the user
 * ({@link Owner#loginRefused}), passed to the client as sent.
 */
final class Backend extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(Backend.class.getName());

    /** The max packet size the proxy announces to a compute node. */
    private static final int MAX_PACKET = 16 * 1024 * 1024;

    /** Capabilities the proxy always uses towards a compute node, whatever the client announced. */
    static final int REQUIRED_CAPABILITIES = Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION
            | Capabilities.PLUGIN_AUTH | Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA;

    /**
     * Who logs in, and how.
     *
     * @param capabilities the client's capabilities agreed with the proxy
     * @param clientPlugin plugin of {@code clientAuth} (VERIFY)
     * @param salt         the proxy's greeting nonce the client answered (VERIFY)
     * @param clientAuth   the client's auth response (VERIFY)
     * @param client       the client's IP address, which the compute node matches accounts' hosts against,
     *                     whether it uses TLS, and the proxy's connection counts, which the compute node checks
     *                     against connection limits
     */
    record Login(String user, String database, int charset, int capabilities, Map<String, String> attributes,
            ProxyLogin.Mode mode, String clientPlugin, byte[] salt, byte[] clientAuth, ProxyLogin.Client client) {
    }

    /** Receives the outcome of the login and then the compute node's packets. */
    interface Owner {
        /** Logged in; {@code ok} is the OK packet (the owner releases or forwards it). */
        void loggedIn(Backend backend, ByteBuf ok);

        /** An auth switch request or extra auth data for the client (VERIFY only). */
        void loginExchange(Backend backend, ByteBuf frame);

        /** The compute node refused the user with this ERR packet; the connection is closed. */
        void loginRefused(Backend backend, ByteBuf error);

        /** The compute node failed before the user was accepted or refused; the connection is closed. */
        void loginFailed(Backend backend, String why);

        /** A packet after the login. */
        void frame(Backend backend, ByteBuf frame);

        /** The end of one read from the compute node: a moment to flush what was relayed. */
        void readComplete(Backend backend);

        /** The connection closed after the login. */
        void closed(Backend backend);
    }

    private enum Phase { CONNECTING, GREETING, AUTH, READY, CLOSED }

    private final ComputeNodes.Cn cn;
    private final Login login;
    private final byte[] secret;
    /** Cluster TLS towards a compute node over TCP (presenting this server's certificate), or null. */
    private final SslContext tls;
    private final Duration timeout;
    private final Owner owner;
    private Phase phase = Phase.CONNECTING;
    private Channel channel;
    private long connectionId;
    private ScheduledFuture<?> deadline;
    private boolean exchanged;

    /**
     * @param tls the cluster TLS client context, or null: with it a connection over TCP (not the in-JVM
     *            one) switches to TLS after the greeting, as a MySQL client asking for SSL does, and the
     *            login goes over it
     */
    Backend(ComputeNodes.Cn cn, Login login, byte[] secret, SslContext tls, Duration timeout, Owner owner) {
        this.cn = cn;
        this.login = login;
        this.secret = secret;
        this.tls = tls;
        this.timeout = timeout;
        this.owner = owner;
    }

    ComputeNodes.Cn cn() {
        return cn;
    }

    String endpoint() {
        return cn.endpoint();
    }

    /** The compute node's id for this connection (what KILL there names). */
    long connectionId() {
        return connectionId;
    }

    Channel channel() {
        return channel;
    }

    /** Whether an auth packet went between client and compute node (then another CN cannot be tried). */
    boolean exchanged() {
        return exchanged;
    }

    /** The connection attempt did not succeed (refused, timed out). */
    void connectFailed(Throwable cause) {
        if (phase == Phase.CONNECTING) {
            phase = Phase.CLOSED;
            owner.loginFailed(this, "cannot connect: " + cause.getMessage());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        phase = Phase.GREETING;
        arm();
        ctx.fireChannelActive();
    }

    private void arm() {
        disarm();
        deadline = channel.eventLoop().schedule(() -> fail("no answer within " + timeout.toMillis() + " ms"),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        switch (phase) {
            case READY -> owner.frame(this, frame);
            case GREETING -> {
                try {
                    greeting(frame);
                } finally {
                    frame.release();
                }
            }
            case AUTH -> authAnswer(frame);
            default -> frame.release();
        }
    }

    private void greeting(ByteBuf frame) {
        if (Frames.header(frame) == 0xff) {
            fail("refused the connection: " + errorText(frame));
            return;
        }
        Handshake.Greeting greeting;
        try {
            greeting = Handshake.parseGreeting(Frames.payload(frame));
        } catch (MalformedPacketException e) {
            fail("bad greeting: " + e.getMessage());
            return;
        }
        connectionId = greeting.connectionId();
        int capabilities = login.capabilities() | REQUIRED_CAPABILITIES;
        if (tls == null || channel instanceof LocalChannel) {
            sendLogin(greeting, capabilities, 1);
            return;
        }
        if ((greeting.capabilities() & Capabilities.SSL) == 0) {
            fail("offers no TLS, and this proxy logs in to compute nodes only over cluster TLS");
            return;
        }
        // Protocol::SSLRequest in plain text, then TLS, then the login as packet 2 (what CN port expects)
        send(1, Handshake.sslRequest(capabilities, MAX_PACKET, login.charset()).toByteArray());
        int colon = cn.endpoint().lastIndexOf(':');
        SslHandler handler = tls.newHandler(channel.alloc(), cn.endpoint().substring(0, colon),
                Integer.parseInt(cn.endpoint().substring(colon + 1)));
        SSLParameters parameters = handler.engine().getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the CN's certificate names its address
        handler.engine().setSSLParameters(parameters);
        channel.pipeline().addFirst("cluster-tls", handler);
        handler.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                sendLogin(greeting, capabilities | Capabilities.SSL, 2);
            } else {
                fail("TLS handshake failed: " + done.cause().getMessage());
            }
        });
        arm();
    }

    private void sendLogin(Handshake.Greeting greeting, int capabilities, int seq) {
        if (phase != Phase.GREETING) {
            return; // failed or closed while TLS was being set up
        }
        byte[] auth = ProxyLogin.encode(secret, greeting.nonce(), login.user(), login.mode(), login.clientPlugin(),
                login.salt(), login.clientAuth(), login.client());
        Handshake.Response response = new Handshake.Response(capabilities, MAX_PACKET, login.charset(), login.user(),
                auth, login.database(), ProxyLogin.PLUGIN, login.attributes());
        phase = Phase.AUTH;
        send(seq, Handshake.response(response).toByteArray());
        arm();
    }

    private void authAnswer(ByteBuf frame) {
        disarm();
        switch (Frames.header(frame)) {
            case 0x00 -> {
                phase = Phase.READY;
                owner.loggedIn(this, frame);
            }
            case 0xff -> {
                phase = Phase.CLOSED;
                channel.close();
                owner.loginRefused(this, frame);
            }
            default -> {
                if (login.mode() != ProxyLogin.Mode.VERIFY) {
                    frame.release();
                    fail("asked for more authentication of an asserted user");
                    return;
                }
                exchanged = true;
                if (Frames.header(frame) == 0x01) {
                    arm(); // fast-auth result: the OK follows without the client
                }
                owner.loginExchange(this, frame);
            }
        }
    }

    /** Passes the client's answer to an auth switch on, and waits for the compute node's reply. */
    void sendAuth(int seq, byte[] payload) {
        send(seq, payload);
        arm();
    }

    /** Sends one command (or other packet) as physical packets starting at {@code seq}. */
    void send(int seq, byte[] payload) {
        channel.write(frames(seq, payload));
        channel.flush();
    }

    /** Frames {@code payload}: split at 16 MiB, with a trailing empty packet when it ends exactly there. */
    static ByteBuf frames(int seq, byte[] payload) {
        int count = payload.length / Frames.MAX_PAYLOAD + 1;
        ByteBuf out = Unpooled.buffer(payload.length + 4 * count);
        int offset = 0;
        for (int i = 0; i < count; i++) {
            int n = Math.min(Frames.MAX_PAYLOAD, payload.length - offset);
            out.writeMediumLE(n).writeByte((seq + i) & 0xff).writeBytes(payload, offset, n);
            offset += n;
        }
        return out;
    }

    /** Ends the session on the compute node (COM_QUIT) and closes the connection. */
    void quit() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(frames(0, new byte[] {0x01})).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Drops a logged-in connection whose compute node is gone: the owner hears of it through {@link
     * Owner#closed}, as of a connection that broke.
     */
    void abandon() {
        if (phase == Phase.READY && channel != null) {
            channel.close();
        }
    }

    /** Closes the connection without a word (the compute node rolls back what the session had open). */
    void close() {
        phase = Phase.CLOSED;
        disarm();
        if (channel != null) {
            channel.close();
        }
    }

    private void fail(String why) {
        if (phase == Phase.CLOSED || phase == Phase.READY) {
            return;
        }
        phase = Phase.CLOSED;
        disarm();
        if (channel != null) {
            channel.close();
        }
        owner.loginFailed(this, why);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (phase == Phase.READY) {
            owner.readComplete(this);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        if (phase == Phase.READY) {
            phase = Phase.CLOSED;
            owner.closed(this);
        } else {
            fail("closed the connection during the login");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset is routine; anything else (thrown by the owner's code on this pipeline) is a bug
        LOG.log(cause instanceof java.io.IOException ? Level.FINE : Level.WARNING,
                "connection to compute node " + cn.endpoint() + " failed", cause);
        ctx.close();
    }

    private static String errorText(ByteBuf frame) {
        int length = Frames.length(frame);
        int at = frame.readerIndex() + 4;
        if (length < 3) {
            return "ERR";
        }
        int code = frame.getUnsignedShortLE(at + 1);
        int textAt = at + 3 + (length > 9 && frame.getByte(at + 3) == '#' ? 6 : 0);
        return code + " " + frame.toString(textAt, at + length - textAt, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "compute node " + cn.name() + " (" + cn.endpoint() + ")";
    }
}
