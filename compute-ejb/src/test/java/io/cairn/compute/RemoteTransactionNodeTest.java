package io.cairn.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cairn.txn.DeadlockException;
import io.cairn.txn.ReadOnlyClusterException;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.record.TnRpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client half of the TN's internal calls against a small HTTP server standing in for the TN's endpoint. */
class RemoteTransactionNodeTest {
    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> secretSeen = new AtomicReference<>();
    private volatile int status = 204;
    private volatile String errorKind;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/internal/tn/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        clientPorts.add(exchange.getRemoteAddress().getPort());
        secretSeen.set(exchange.getRequestHeaders().getFirst(TnRpc.SECRET_HEADER));
        if (errorKind != null) {
            exchange.getResponseHeaders().add(TnRpc.ERROR_HEADER, errorKind);
        }
        byte[] body = status == 204 ? new byte[0] : ("refused: " + errorKind).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, status == 204 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private RemoteTransactionNode client() {
        return new RemoteTransactionNode("127.0.0.1:" + server.getAddress().getPort(), "s3cret", null, Duration.ofSeconds(2));
    }

    @Test
    void callsReuseOneConnectionAndCarryTheClusterSecret() {
        RemoteTransactionNode tn = client();
        for (int i = 0; i < 20; i++) {
            tn.release("txn-" + i);
        }
        assertThat(clientPorts).as("one kept-alive connection for 20 sequential calls").hasSize(1);
        assertThat(secretSeen.get()).isEqualTo("s3cret");
    }

    @Test
    void refusalsMapToTheirExceptionsAndOtherAnswersToAnUnknownOutcome() {
        RemoteTransactionNode tn = client();
        status = 409;
        errorKind = "write-conflict";
        assertThatThrownBy(() -> tn.release("t")).isInstanceOf(WriteConflictException.class).hasMessageContaining("refused");
        errorKind = TnRpc.SNAPSHOT_TOO_OLD;
        assertThatThrownBy(() -> tn.release("t")).isInstanceOf(SnapshotTooOldException.class);
        errorKind = TnRpc.DEADLOCK;
        assertThatThrownBy(() -> tn.release("t")).isInstanceOf(DeadlockException.class);
        errorKind = TnRpc.READ_ONLY;
        assertThatThrownBy(() -> tn.release("t")).isInstanceOf(ReadOnlyClusterException.class)
                .hasMessage("refused: read-only");
        status = 429;
        errorKind = null;
        assertThatThrownBy(() -> tn.release("t")).as("held back, not committed")
                .isInstanceOf(TransactionNodeBusyException.class).hasMessageContaining("refused");
        status = 503;
        assertThatThrownBy(() -> tn.release("t")).isInstanceOf(TransactionNodeUnavailableException.class)
                .hasMessageContaining("503");
        server.stop(0);
        assertThatThrownBy(() -> tn.release("t")).isInstanceOf(TransactionNodeUnavailableException.class)
                .hasMessageContaining("did not answer");
    }
}
