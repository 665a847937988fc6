package io.cairn.mysql.server;

import io.cairn.mysql.Authenticator;
import io.cairn.mysql.ClientTraffic;
import io.cairn.mysql.SessionHandler;
import io.cairn.mysql.SessionHandlerFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A MySQL protocol v10 server: accepts client connections on host:port, authenticates them with an
 * {@link Authenticator} and serves their commands through {@link io.cairn.mysql.SessionHandler}s made by a
 * {@link SessionHandlerFactory}.
 *
 * <h2>Threading</h2>
 * Netty NIO event loops ({@link MysqlServerConfig#ioThreads()}) only frame and unframe packets. All
 * protocol state and every authenticator and session handler call run on a handler pool owned by this
 * server, serialized per connection, so a slow statement occupies one handler thread and never an event
 * loop. The pool keeps {@link MysqlServerConfig#handlerThreads()} threads and grows to one per busy
 * connection (at most {@link MysqlServerConfig#maxConnections()}), as MySQL's thread per connection
 * does: a statement waiting for a row lock holds its thread, and a bounded pool full of such waiters
 * would never run the COMMIT that releases their locks.
 *
 * <h2>Lifecycle</h2>
 * {@link #start()} binds (throws if the port is taken); {@link #close()} stops accepting, closes every
 * connection (each session handler is closed once) and stops the threads. Not restartable.
 *
 * <h2>KILL</h2>
 * {@link #kill(long, boolean)} lets the engine implement {@code KILL [QUERY] id} across connections.
 */
public final class MysqlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MysqlServer.class.getName());

    private final MysqlServerConfig config;
    private final Authenticator authenticator;
    private final SessionHandlerFactory sessionFactory;
    private final Map<Long, ClientConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicLong nextConnectionId = new AtomicLong(1);
    private final AtomicLong acceptedTotal = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final ClientTraffic traffic = ClientTraffic.forServer();
    private final TlsUpgrader tls;

    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private volatile ThreadPoolExecutor handlerPool;
    private Channel serverChannel;
    private volatile Channel localChannel;

    public MysqlServer(MysqlServerConfig config, Authenticator authenticator, SessionHandlerFactory sessionFactory) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.sessionFactory = Objects.requireNonNull(sessionFactory, "sessionFactory");
        // with the cluster PKI the port shows the cluster certificate (a proxy checks it) and asks for the client's
        this.tls = config.clusterCertificates() != null ? TlsUpgrader.forCluster(config.clusterCertificates())
                : config.tlsUpgrader();
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException when already started
     * @throws InterruptedException  when interrupted while binding
     */
    public synchronized MysqlServer start() throws InterruptedException {
        if (serverChannel != null || bossGroup != null) {
            throw new IllegalStateException("already started");
        }
        bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("cairn-mysql-accept", true));
        ioGroup = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("cairn-mysql-io", true));
        // Each connection has at most one task in the pool at a time, so maxConnections bounds the threads
        // (the margin: connections being refused with 1040 still get a task to say so).
        handlerPool = new ThreadPoolExecutor(config.handlerThreads(), config.maxConnections() + 64, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DefaultThreadFactory("cairn-mysql-handler", true));
        handlerPool.allowCoreThreadTimeOut(true);
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        addConnectionHandlers(ch);
                    }
                });
        try {
            serverChannel = b.bind(config.host(), config.port()).sync().channel();
            if (config.localName() != null) {
                localChannel = new ServerBootstrap().group(bossGroup, ioGroup).channel(LocalServerChannel.class)
                        .childHandler(new ChannelInitializer<LocalChannel>() {
                            @Override
                            protected void initChannel(LocalChannel ch) {
                                ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
                                addConnectionHandlers(ch);
                            }
                        })
                        .bind(new LocalAddress(config.localName())).sync().channel();
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        if (tls != null) {
            long period = TlsUpgrader.CHECK_PERIOD.toMillis();
            bossGroup.scheduleWithFixedDelay(tls::reloadIfChanged, period, period, TimeUnit.MILLISECONDS);
        }
        LOG.log(Level.INFO, "MySQL protocol server listening on {0}", serverChannel.localAddress());
        return this;
    }

    private void addConnectionHandlers(Channel ch) {
        acceptedTotal.incrementAndGet();
        long id = nextConnectionId.getAndUpdate(v -> v >= 0xFFFFFFFFL ? 1 : v + 1);
        // first, so that it sees every read: a stall inside a packet is judged by the decoder
        ch.pipeline().addLast("idle", new IdleStateHandler(config.netReadTimeout().toMillis(), 0, 0,
                TimeUnit.MILLISECONDS));
        if (tls != null) {
            ch.pipeline().addLast("tls-upgrade", tls.newHandler());
        }
        ClientTraffic connectionTraffic = traffic.forConnection();
        // after the TLS upgrader (its TLS handler goes before this one): plain protocol bytes, as MySQL counts
        ch.pipeline().addLast("traffic", new TrafficCounter(connectionTraffic));
        ch.pipeline().addLast("frames", new PacketDecoder(config.maxAllowedPacket(),
                MysqlServerConfig.MAX_HANDSHAKE_PACKET));
        ch.pipeline().addLast("connection", new ClientConnection(MysqlServer.this, config, id, handlerPool,
                connectionTraffic));
    }

    /**
     * The event loops of this server's connections, for a proxy in the same JVM: its client
     * connections and their in-JVM connections to this server then share threads, so a relayed
     * packet never waits for another thread to wake up. Null before {@link #start()}.
     */
    public EventLoopGroup eventLoops() {
        return ioGroup;
    }

    /** The in-JVM address this server also serves ({@link MysqlServerConfig#localName()}), or null. */
    public LocalAddress localAddress() {
        Channel ch = localChannel;
        return ch == null ? null : (LocalAddress) ch.localAddress();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /**
     * KILL: with {@code queryOnly}, interrupts the command connection {@code connectionId} is running (its
     * handler's {@code cancel()}); otherwise also closes that connection.
     *
     * @return false when no such connection exists
     */
    public boolean kill(long connectionId, boolean queryOnly) {
        ClientConnection c = connections.get(connectionId);
        if (c == null) {
            return false;
        }
        c.kill(queryOnly);
        return true;
    }

    /** The bytes this server received from and sent to its clients since it started (Bytes_received/_sent). */
    public ClientTraffic traffic() {
        return traffic;
    }

    /** Number of open connections. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** Stops accepting, closes all connections and stops the threads; waits up to a few seconds. Idempotent. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
        }
        if (localChannel != null) {
            localChannel.close().awaitUninterruptibly();
            localChannel = null;
        }
        List<Channel> open = new ArrayList<>();
        for (ClientConnection c : connections.values()) {
            if (c.channel() != null) {
                open.add(c.channel());
            }
            c.kill(false);
        }
        for (Channel ch : open) {
            ch.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (handlerPool != null) {
            handlerPool.shutdown();
            try {
                if (!handlerPool.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warning("MySQL handler threads still busy after 5 s; interrupting them");
                    handlerPool.shutdownNow();
                }
            } catch (InterruptedException e) {
                handlerPool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- for ClientConnection / CommandDispatcher ----

    Authenticator authenticator() {
        return authenticator;
    }

    SessionHandlerFactory sessionFactory() {
        return sessionFactory;
    }

    /** Registers a new connection; false when maxConnections is reached (the caller refuses it). */
    boolean register(ClientConnection c) {
        if (connectionCount.incrementAndGet() > config.maxConnections()) {
            connectionCount.decrementAndGet();
            return false;
        }
        connections.put(c.id(), c);
        return true;
    }

    void unregister(ClientConnection c) {
        if (connections.remove(c.id(), c)) {
            connectionCount.decrementAndGet();
        }
    }

    /** The COM_STATISTICS answer (mysqladmin status), with the statement counters of the session's engine. */
    String statistics(SessionHandler session) {
        long uptime = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        long questions = session.questions();
        return "Uptime: " + uptime + "  Threads: " + connectionCount() + "  Questions: " + questions
                + "  Slow queries: " + session.slowQueries() + "  Opens: " + acceptedTotal.get()
                + "  Open tables: 0  Queries per second avg: "
                + String.format(java.util.Locale.ROOT, "%.3f", (double) questions / Math.max(1, uptime));
    }
}
