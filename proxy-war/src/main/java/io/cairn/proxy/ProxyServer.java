package io.cairn.proxy;

import io.cairn.mysql.server.Capabilities;
import io.cairn.mysql.server.MysqlServerConfig;
import io.cairn.mysql.server.PacketDecoder;
import io.cairn.mysql.server.ProxyLogin;
import io.cairn.mysql.server.TlsUpgrader;
import io.cairn.server.ProxySessions;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The proxy's client-facing MySQL port: accepts clients ({@link ProxySession} each), knows them by
 * connection id for KILL, and once a second asks the sessions whose compute node no longer serves
 * their group (drained, group changed) to move, and rebalances the groups whose CNs hold uneven
 * shares of its sessions ({@link #rebalance}). Connection ids start at 2^30 so they are never
 * mistaken for a compute node's own ids.
 *
 * <p>Stopping ({@link #close}) is graceful: the port stops accepting, sessions outside a transaction
 * end at once, the others when their transaction ends, and whatever is left when the grace period
 * ({@link ProxySettings#shutdownGrace}) is over ends then; each client is told ERR 1053 where the
 * protocol allows.
 *
 * <p>Threading: Netty event loops only (one acceptor, two I/O threads); a session and its compute
 * node connections share one loop. Nothing blocks a loop.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProxyServer.class.getName());

    /** What the proxy asks of compute nodes and announces to clients (and TLS when it has a key). */
    static final int CAPABILITIES = Capabilities.SERVER_DEFAULT;
    private static final long FIRST_ID = 1L << 30;
    /** A CN is far above its group's average with this many sessions more, or this share more if larger. */
    private static final int REBALANCE_MIN_EXCESS = 2;
    private static final double REBALANCE_EXCESS_SHARE = 0.25;

    /**
     * The compute node in this JVM, reached through an in-JVM channel instead of a socket.
     *
     * @param endpoint its host:port, as membership lists it
     * @param address  its in-JVM address, or null while it has none
     */
    public record LocalCn(String endpoint, Supplier<LocalAddress> address, Supplier<EventLoopGroup> eventLoops) {
        /** No compute node in this JVM. */
        public static final LocalCn NONE = new LocalCn("", () -> null, () -> null);
    }

    private final ProxySettings settings;
    private final ComputeNodes nodes;
    private final LocalCn local;
    private final Map<Long, ProxySession> sessions = new ConcurrentHashMap<>();
    /** CNs that sessions are connected to but membership no longer lists: for how many checks in a row. */
    private final Map<String, Integer> absentChecks = new HashMap<>();
    private final Object sessionEnded = new Object();
    private final AtomicInteger open = new AtomicInteger();
    /** Logged-in or logging-in client connections per user name, for MAX_USER_CONNECTIONS. */
    private final Map<String, Integer> userConnections = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(FIRST_ID);
    private final java.util.concurrent.atomic.LongAdder sessionMoves = new java.util.concurrent.atomic.LongAdder();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private EventLoopGroup shared;
    private volatile Channel listener;

    public ProxyServer(ProxySettings settings, ComputeNodes nodes, LocalCn local) {
        this.settings = settings;
        this.nodes = nodes;
        this.local = local;
    }

    /** Binds the port (fails if it is taken) and starts the placement check. */
    public synchronized ProxyServer start() throws InterruptedException {
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("cairn-proxy-accept", true));
        // sharing the local CN's threads saves two thread hand-offs per relayed command
        shared = local.eventLoops().get();
        workers = shared != null ? shared : new NioEventLoopGroup(2, new DefaultThreadFactory("cairn-proxy-io", true));
        listener = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // first, so that it sees every read: the decoder judges a stall inside a packet
                        channel.pipeline().addLast(new IdleStateHandler(settings.netReadTimeout().toMillis(), 0, 0,
                                TimeUnit.MILLISECONDS));
                        if (settings.tls() != null) {
                            channel.pipeline().addLast(settings.tls().newHandler());
                        }
                        channel.pipeline().addLast(new PacketDecoder(settings.maxAllowedPacket(),
                                MysqlServerConfig.MAX_HANDSHAKE_PACKET), new ProxySession(ProxyServer.this, nextId()));
                    }
                })
                .bind(settings.host(), settings.port()).sync().channel();
        boss.scheduleWithFixedDelay(this::checkPlacement, 1, 1, TimeUnit.SECONDS);
        if (settings.tls() != null) { // a changed key store serves new connections
            long period = TlsUpgrader.CHECK_PERIOD.toMillis();
            boss.scheduleWithFixedDelay(settings.tls()::reloadIfChanged, period, period, TimeUnit.MILLISECONDS);
        }
        LOG.info(() -> "MySQL proxy listening on " + listener.localAddress());
        return this;
    }

    private long nextId() {
        return nextId.getAndUpdate(v -> v >= 0x7FFFFFFFL ? FIRST_ID : v + 1);
    }

    /** The capabilities announced to clients. */
    int clientCapabilities() {
        return settings.tls() == null ? CAPABILITIES : CAPABILITIES | Capabilities.SSL;
    }

    ProxySettings settings() {
        return settings;
    }

    ComputeNodes nodes() {
        return nodes;
    }

    boolean register(ProxySession session) {
        if (open.incrementAndGet() > settings.maxConnections()) {
            open.decrementAndGet();
            return false;
        }
        sessions.put(session.id(), session);
        return true;
    }

    /**
     * Counts a client connection of {@code user} (the name the compute node sees, any group suffix cut
     * off: it checks the account's limit against this count); returns the count, this one included.
     */
    int userConnected(String user) {
        return userConnections.merge(user, 1, Integer::sum);
    }

    /** The connection {@link #userConnected} counted has ended. */
    void userDisconnected(String user) {
        userConnections.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    }

    void unregister(ProxySession session) {
        if (sessions.remove(session.id(), session)) {
            open.decrementAndGet();
            synchronized (sessionEnded) {
                sessionEnded.notifyAll(); // a stopping proxy waits for its sessions to end
            }
        }
    }

    /**
     * Ends client session {@code id} as KILL does: its statement on the compute node is killed, and the session
     * closes on its own event loop. False when there is no such session.
     */
    public boolean kill(long id) {
        ProxySession victim = sessions.get(id);
        if (victim == null) {
            return false;
        }
        Backend where = victim.backend();
        Channel client = victim.client();
        if (where != null && client != null) {
            killOnComputeNode(where, victim.user(), victim.clientAddress(), false, client.eventLoop());
        }
        victim.execute(victim::close);
        return true;
    }

    /** The session with this proxy connection id, or null. */
    ProxySession session(long id) {
        return sessions.get(id);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((java.net.InetSocketAddress) listener.localAddress()).getPort();
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

    /** This proxy's logged-in sessions, by id. */
    public List<ProxySessions.SessionView> sessionViews() {
        return sessions.values().stream().map(ProxySession::view).filter(Objects::nonNull)
                .sorted(Comparator.comparingLong(ProxySessions.SessionView::id)).toList();
    }

    /** A session finished moving to another compute node (SessionMove). */
    void sessionMoved() {
        sessionMoves.increment();
    }

    /** Sessions moved to another compute node since this proxy started (failover, drain, rebalance). */
    public long sessionMoves() {
        return sessionMoves.sum();
    }

    /**
     * This proxy's logged-in sessions per compute node endpoint and CN group: every compute node it knows with
     * its own group (0 when it holds none), and the sessions placed elsewhere counted where they are.
     */
    public Map<Placement, Integer> sessionsByPlacement() {
        Map<Placement, Integer> counts = new java.util.TreeMap<>();
        for (ComputeNodes.Cn cn : nodes.current()) {
            counts.put(new Placement(cn.endpoint(), cn.group()), 0);
        }
        for (ProxySessions.SessionView v : sessionViews()) {
            if (v.computeNode() != null) {
                counts.merge(new Placement(v.computeNode(), v.group()), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Where sessions are: a compute node's endpoint and the CN group they belong to. */
    public record Placement(String computeNode, String group) implements Comparable<Placement> {
        @Override
        public int compareTo(Placement o) {
            int c = computeNode.compareTo(o.computeNode);
            return c != 0 ? c : group.compareTo(o.group);
        }
    }

    /** This proxy's sessions per compute node endpoint. */
    public Map<String, Integer> sessionsPerComputeNode() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (ComputeNodes.Cn cn : nodes.current()) {
            counts.put(cn.endpoint(), nodes.sessions(cn.endpoint()));
        }
        return counts;
    }

    /** The groups (of CN membership and the user rules) without a usable compute node now. */
    public Set<String> groupsWithoutCn() {
        return nodes.groupsWithoutCn(settings.groupRules().targets());
    }

    /** Opens a connection to {@code backend}'s compute node on {@code loop}: in-JVM for the local CN. */
    void dial(EventLoop loop, Backend backend) {
        String endpoint = backend.endpoint();
        LocalAddress inJvm = endpoint.equals(local.endpoint()) ? local.address().get() : null;
        if (inJvm == null && settings.localOnly()) {
            backend.connectFailed(new IllegalStateException("cairn.cluster.secret is not set: this proxy can log in "
                    + "only to the compute node of its own server"));
            return;
        }
        Bootstrap bootstrap = new Bootstrap().group(loop)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new Frames(), backend);
                    }
                });
        ChannelFuture connected;
        if (inJvm != null) {
            connected = bootstrap.channel(LocalChannel.class).connect(inJvm);
        } else {
            int colon = endpoint.lastIndexOf(':');
            connected = bootstrap.channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                    .connect(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
        }
        connected.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                backend.connectFailed(f.cause());
            }
        });
    }

    /**
     * Sends {@code KILL [QUERY] id} for a session's compute node connection over a side connection
     * logged in as that session's user; best effort (a failure is logged).
     */
    void killOnComputeNode(Backend target, String user, String clientAddress, boolean queryOnly, EventLoop loop) {
        String sql = (queryOnly ? "KILL QUERY " : "KILL ") + target.connectionId();
        Backend.Login login = new Backend.Login(user, null, 255, CAPABILITIES, Map.of(), ProxyLogin.Mode.ASSERT,
                "", new byte[0], new byte[0], new ProxyLogin.Client(clientAddress, false, 0, 0));
        Backend side = new Backend(target.cn(), login, settings.secret(), settings.clusterTls(), settings.loginTimeout(),
                new SideCommand(sql));
        dial(loop, side);
    }

    /** Runs one statement on a side connection and quits. */
    private static final class SideCommand implements Backend.Owner {
        private final String sql;

        SideCommand(String sql) {
            this.sql = sql;
        }

        @Override
        public void loggedIn(Backend backend, ByteBuf ok) {
            ok.release();
            byte[] text = sql.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[text.length + 1];
            payload[0] = 0x03;
            System.arraycopy(text, 0, payload, 1, text.length);
            backend.send(0, payload);
        }

        @Override
        public void frame(Backend backend, ByteBuf frame) {
            if (Frames.header(frame) == 0xff) {
                LOG.log(Level.FINE, "{0} on {1} failed", new Object[] {sql, backend});
            }
            frame.release();
            backend.quit();
        }

        @Override
        public void loginExchange(Backend backend, ByteBuf frame) {
            frame.release();
            backend.close();
        }

        @Override
        public void loginRefused(Backend backend, ByteBuf error) {
            error.release();
            LOG.log(Level.FINE, "{0}: side connection to {1} refused", new Object[] {sql, backend});
        }

        @Override
        public void loginFailed(Backend backend, String why) {
            LOG.log(Level.FINE, "{0}: side connection to {1} failed: {2}", new Object[] {sql, backend, why});
        }

        @Override
        public void readComplete(Backend backend) {
        }

        @Override
        public void closed(Backend backend) {
        }
    }

    /** Waits until no session is left, at most {@code limit}; whether none is. */
    private boolean awaitNoSessions(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (sessionEnded) {
            try {
                for (long left = limit.toNanos(); !sessions.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(sessionEnded, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sessions.isEmpty();
        }
    }

    /** Asks every session whose compute node no longer serves its group to move. */
    private void checkPlacement() {
        try {
            Map<String, String> serving = new java.util.HashMap<>();
            Set<String> members = new HashSet<>();
            for (ComputeNodes.Cn cn : nodes.current()) {
                members.add(cn.endpoint());
                if (!cn.draining()) {
                    serving.put(cn.endpoint(), cn.group());
                }
            }
            dropConnectionsToDepartedCns(members);
            for (ProxySession session : sessions.values()) {
                if (session.misplaced(serving)) {
                    session.execute(session::requestMove);
                }
            }
            rebalance();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "proxy placement check failed", e);
        }
    }

    /**
     * Sessions whose CN has been out of the cluster for two checks in a row (membership drops a server that
     * stopped answering heartbeats for 5 s: paused, cut off) and that wait on it for an answer lose their
     * connection to it as if it had broken ({@link ProxySession#computeNodeLeft}), so the usual rules apply:
     * the command gets ERR 1105 (a read outside a transaction runs again elsewhere). Otherwise a command sent
     * to a paused CN waits as long as the pause, and the client's own timeout, if it has one, is the only
     * way out (chaos suite: clients held 9-11 s by an 8 s pause). Two checks, and only stuck commands,
     * because membership also hides healthy members for seconds while it elects a new master. Boss thread
     * only.
     */
    private void dropConnectionsToDepartedCns(Set<String> members) {
        if (members.isEmpty()) {
            return; // no view of the cluster (yet): nothing to judge by
        }
        Set<String> departed = new HashSet<>();
        for (ProxySession session : sessions.values()) {
            String at = session.computeNode();
            if (at != null && !members.contains(at)) {
                departed.add(at);
            }
        }
        absentChecks.keySet().retainAll(departed);
        for (String cn : departed) {
            int checks = absentChecks.merge(cn, 1, Integer::sum);
            if (checks < 2) {
                continue;
            }
            if (checks == 2) {
                LOG.log(Level.INFO, "CAIRN0304W: compute node {0} left the cluster; connections to it that wait for"
                        + " an answer are dropped", cn);
            }
            for (ProxySession session : sessions.values()) {
                if (cn.equals(session.computeNode())) {
                    session.execute(() -> session.computeNodeLeft(cn));
                }
            }
        }
    }

    /**
     * Per group, asks sessions of a CN far above the group's average (a CN joined, or came back, or new
     * sessions landed unevenly) to move to the least loaded one at their next transaction boundary:
     * as many as it has above the average. Each session checks again when its turn comes, so a move
     * that would no longer even the load is dropped.
     */
    private void rebalance() {
        Map<String, List<ComputeNodes.Cn>> usable = new HashMap<>();
        for (ComputeNodes.Cn cn : nodes.current()) {
            if (cn.ready() && !cn.draining() && nodes.breaker().available(cn.endpoint())) {
                usable.computeIfAbsent(cn.group(), g -> new ArrayList<>()).add(cn);
            }
        }
        Map<String, List<ProxySession>> byCn = new HashMap<>();
        for (ProxySession session : sessions.values()) {
            String at = session.computeNode();
            if (at != null && session.rebalanceCandidate()) {
                byCn.computeIfAbsent(at, k -> new ArrayList<>()).add(session);
            }
        }
        usable.forEach((group, cns) -> {
            if (cns.size() < 2) {
                return;
            }
            double average = cns.stream().mapToInt(cn -> nodes.sessions(cn.endpoint())).sum() / (double) cns.size();
            for (ComputeNodes.Cn cn : cns) {
                int load = nodes.sessions(cn.endpoint());
                if (load < average + Math.max(REBALANCE_MIN_EXCESS, average * REBALANCE_EXCESS_SHARE)) {
                    continue;
                }
                int excess = load - (int) Math.ceil(average);
                for (ProxySession session : byCn.getOrDefault(cn.endpoint(), List.of())) {
                    if (excess <= 0) {
                        break;
                    }
                    if (group.equals(session.group())) { // (one of another group is misplaced: moved anyway)
                        session.execute(session::requestRebalance);
                        excess--;
                    }
                }
            }
        });
    }

    /**
     * Stops accepting, lets open transactions finish for up to the grace period, then ends the sessions
     * left (ERR 1053 where the protocol allows). Blocks until then: not to be called on an event loop.
     */
    @Override
    public synchronized void close() {
        if (listener == null) {
            return; // not started, or closed already
        }
        listener.close().syncUninterruptibly();
        listener = null;
        sessions.values().forEach(s -> s.execute(s::shutdown));
        if (!awaitNoSessions(settings.shutdownGrace())) {
            LOG.info(() -> "MySQL proxy: " + sessions.size() + " sessions still in a transaction after "
                    + settings.shutdownGrace().toSeconds() + " s; ending them");
            sessions.values().forEach(s -> s.execute(s::shutdownNow));
            awaitNoSessions(Duration.ofSeconds(2)); // their last packets go out before the loops stop
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (workers != shared) {
                workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
        }
    }
}
