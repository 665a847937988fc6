package io.cairn.mysql.server;

import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Authenticator;
import io.cairn.mysql.Credential;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.Parameter;
import io.cairn.mysql.SessionHandler;
import io.cairn.mysql.SessionHandlerFactory;
import io.cairn.mysql.SessionInfo;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Test fixture: users, a {@link FakeSession} per connection, and a running {@link MysqlServer} on a free
 * loopback port. Close it to stop the server.
 */
final class FakeEngine implements Authenticator, SessionHandlerFactory, AutoCloseable {
    static final String SHA2_USER = "sha2user";
    static final String NATIVE_USER = "nativeuser";
    static final String NATIVE_EMPTY_USER = "nativeempty";
    static final String PASSWORD = "s3cret-pässword";
    /** Looking this user up throws (an authenticator with a bug). */
    static final String FAILING_USER = "boom";

    private final Map<String, Credential> users = Map.of(
            "root", Credential.forPassword(AuthPlugin.CACHING_SHA2_PASSWORD, ""),
            SHA2_USER, Credential.forPassword(AuthPlugin.CACHING_SHA2_PASSWORD, PASSWORD),
            NATIVE_USER, Credential.forPassword(AuthPlugin.MYSQL_NATIVE_PASSWORD, PASSWORD),
            NATIVE_EMPTY_USER, Credential.forPassword(AuthPlugin.MYSQL_NATIVE_PASSWORD, ""));

    final AtomicLong autoIncrement = new AtomicLong();
    private int closedSessions;
    final ConcurrentLinkedQueue<String> queries = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<List<Parameter>> executed = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<SessionInfo> sessions = new ConcurrentLinkedQueue<>();
    volatile CountDownLatch sleeping = new CountDownLatch(1);
    /** Rows the streamed results ({@code SELECT STREAM n}) produced, and how many of them were closed. */
    final AtomicLong streamedRows = new AtomicLong();
    final AtomicLong closedStreams = new AtomicLong();
    private final MysqlServer server;

    private FakeEngine(MysqlServerConfig config) throws InterruptedException {
        server = new MysqlServer(config, this, this).start();
    }

    static FakeEngine start() throws InterruptedException {
        return start(b -> { });
    }

    static FakeEngine start(Consumer<MysqlServerConfig.Builder> settings) throws InterruptedException {
        MysqlServerConfig.Builder b = MysqlServerConfig.builder().port(0).handlerThreads(4);
        settings.accept(b);
        return new FakeEngine(b.build());
    }

    MysqlServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    String url(String scheme, String user, String password, String options) {
        return "jdbc:" + scheme + "://127.0.0.1:" + port() + "/test?user=" + user + "&password=" + password
                + (options.isEmpty() ? "" : "&" + options);
    }

    @Override
    public Optional<Credential> lookup(String user, SocketAddress remoteAddress) {
        if (user.equals(FAILING_USER)) {
            throw new IllegalStateException("fixture bug on purpose: user look-up failed");
        }
        return Optional.ofNullable(users.get(user));
    }

    @Override
    public SessionHandler open(SessionInfo info) throws MysqlException {
        if (info.database() != null && !FakeSession.DATABASES.contains(info.database())) {
            throw MysqlException.of(MysqlError.BAD_DB, info.database());
        }
        sessions.add(info);
        return new FakeSession(info, this);
    }

    synchronized void sessionClosed() {
        closedSessions++;
        notifyAll();
    }

    synchronized int closedSessions() {
        return closedSessions;
    }

    /** Waits (on a condition, not a sleep) until at least {@code n} sessions were closed. */
    synchronized boolean awaitClosedSessions(int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (closedSessions < n) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @Override
    public void close() {
        server.close();
    }
}
