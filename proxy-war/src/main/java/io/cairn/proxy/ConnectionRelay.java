package io.cairn.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The proxy's client-facing MySQL port as a connection-level relay: each client connection is tied
 * to one compute node, the least loaded ready one (by this proxy's own connection count), and bytes
 * flow unchanged both ways with back-pressure (a side is read only when the other has taken the
 * last chunk). With no ready CN the client gets a MySQL error packet (1040-style, SQLSTATE 08004)
 * instead of a handshake, and the connection closes.
 *
 * <p>This is the first step of the proxy issue: it does not yet parse packets, so it cannot move a
 * session between CNs; a client whose CN dies loses its connection.
 *
 * <p>Threading: Netty event loops only; nothing blocks them.
 */
public final class ConnectionRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConnectionRelay.class.getName());
    private static final int ER_CON_COUNT_ERROR = 1040;

    private final String host;
    private final int port;
    private final Supplier<List<String>> backends;
    private final LocalBackend local;
    private final int maxConnections;
    private final Map<String, AtomicInteger> load = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel listener;

    /**
     * The CN of this server, which takes a client in-process instead of through a relayed socket.
     *
     * @param endpoint its host:port, as the backends list names it
     * @param server   the MySQL server of that CN, or null while it has none
     */
    public record LocalBackend(String endpoint, Supplier<io.cairn.mysql.server.MysqlServer> server) {
        /** No CN in this JVM. */
        public static final LocalBackend NONE = new LocalBackend("", () -> null);
    }

    /**
     * @param backends the host:port MySQL endpoints of the ready CNs, asked at each new connection
     * @param local    the CN in this JVM, served without a socket when it is picked
     */
    public ConnectionRelay(String host, int port, Supplier<List<String>> backends, LocalBackend local,
            int maxConnections) {
        this.host = host;
        this.port = port;
        this.backends = backends;
        this.local = local;
        this.maxConnections = maxConnections;
    }

    /** Binds the port; fails if it is taken. */
    public synchronized ConnectionRelay start() throws InterruptedException {
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(2);
        ChannelFuture bound = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new ClientSide());
                    }
                })
                .bind(host, port).sync();
        listener = bound.channel();
        return this;
    }

    /** Whether the port is bound. */
    public boolean listening() {
        Channel l = listener;
        return l != null && l.isActive();
    }

    /** Client connections open now. */
    public int connections() {
        return open.get();
    }

    private String pickBackend() {
        List<String> candidates = backends.get();
        return candidates.stream()
                .min(Comparator.comparingInt(b -> load.computeIfAbsent(b, k -> new AtomicInteger()).get()))
                .orElse(null);
    }

    /** A MySQL ERR packet sent in place of the server greeting (sequence id 0). */
    static ByteBuf errorPacket(int code, String sqlState, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        int length = 1 + 2 + 1 + 5 + text.length;
        ByteBuf packet = Unpooled.buffer(4 + length);
        packet.writeMediumLE(length).writeByte(0);
        packet.writeByte(0xff).writeShortLE(code).writeByte('#')
                .writeBytes(sqlState.getBytes(StandardCharsets.US_ASCII)).writeBytes(text);
        return packet;
    }

    private static void closeAfterFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * The client's side of one relayed connection. When the picked CN runs in this JVM, the
     * connection is handed to its MySQL server in-process (its handlers join this pipeline) and this
     * handler only passes events on and keeps the counts.
     */
    private final class ClientSide extends ChannelInboundHandlerAdapter {
        private Channel server;
        private String backend;
        private boolean inProcess;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            if (open.incrementAndGet() > maxConnections) {
                refuse(client, "too many connections to this proxy (" + maxConnections + ")");
                return;
            }
            backend = pickBackend();
            if (backend == null) {
                refuse(client, "no compute node is ready to take the connection");
                return;
            }
            load.computeIfAbsent(backend, k -> new AtomicInteger()).incrementAndGet();
            io.cairn.mysql.server.MysqlServer localServer = backend.equals(local.endpoint()) ? local.server().get() : null;
            if (localServer != null) {
                try {
                    localServer.serve(client);
                    inProcess = true;
                    ctx.fireChannelActive(); // the CN's handlers greet the client
                    return;
                } catch (IllegalStateException stopped) {
                    LOG.log(Level.FINE, "local compute node not serving; relaying", stopped);
                }
            }
            int colon = backend.lastIndexOf(':');
            ChannelFuture connected = new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                    .handler(new ServerSide(client))
                    .connect(backend.substring(0, colon), Integer.parseInt(backend.substring(colon + 1)));
            server = connected.channel();
            connected.addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    client.read();
                } else {
                    refuse(client, "compute node " + backend + " did not answer");
                }
            });
        }

        private void refuse(Channel client, String why) {
            client.writeAndFlush(errorPacket(ER_CON_COUNT_ERROR, "08004", why)).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (inProcess) {
                ctx.fireChannelRead(msg);
            } else if (server != null && server.isActive()) {
                server.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        ctx.channel().read();
                    } else {
                        f.channel().close();
                    }
                });
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
            if (backend != null) {
                load.get(backend).decrementAndGet();
            }
            if (server != null) {
                closeAfterFlush(server);
            }
            if (inProcess) {
                ctx.fireChannelInactive();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (inProcess) {
                ctx.fireExceptionCaught(cause);
                return;
            }
            LOG.log(Level.FINE, "client connection failed", cause);
            closeAfterFlush(ctx.channel());
        }
    }

    /** The compute node's side of one relayed connection. */
    private static final class ServerSide extends ChannelInboundHandlerAdapter {
        private final Channel client;

        ServerSide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            client.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    ctx.channel().read();
                } else {
                    f.channel().close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeAfterFlush(client);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.FINE, "compute node connection failed", cause);
            closeAfterFlush(ctx.channel());
        }
    }

    @Override
    public synchronized void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
