package io.cairn.it;

import io.cairn.it.bank.Account;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The bank of issue 16 as a JPA application on the test server (package {@code io.cairn.it.bank}: {@code @Version}
 * accounts, a transfer entity written in the same transaction, a {@code @Transactional} CDI bean behind a REST
 * resource) and its clients: concurrent HTTP clients making transfers of random amounts between few accounts,
 * a reader sampling the total over JDBC meanwhile, and the final check over JDBC.
 *
 * <p>The check: the total is constant (in every sample and at the end); there are exactly {@code accounts}
 * accounts; every transfer row is one a client attempted, with its accounts and amount; every acknowledged
 * transfer is there, every refused one is not, one whose answer was lost (the commit failed without a refusal, or
 * the HTTP call failed) is resolved by the table; each balance equals its start plus the transfers in the table.
 */
final class JpaBank {
    static final long INITIAL = 1000;

    enum Outcome { ACKNOWLEDGED, REFUSED, UNKNOWN }

    record Attempt(long id, int from, int to, long amount, Outcome outcome, String answer) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build(); // HTTP/2 (h2c) calls were cut by GOAWAY mid-run

    private final String api;
    private final String jdbcUrl;
    private final int accounts;
    private final Map<Long, Attempt> attempts = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger acknowledged = new AtomicInteger();
    /** The totals the reader saw that were not the constant total (or not over {@code accounts} accounts). */
    private final List<String> wrongTotals = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger samples = new AtomicInteger();

    /**
     * @param base     the test server, {@code http://host:port}
     * @param unit     the persistence unit (= data source) the application uses
     * @param jdbcUrl  the same database for the reader and the check, through plain Connector/J
     * @param accounts how many accounts
     */
    JpaBank(String base, String unit, String jdbcUrl, int accounts) {
        this.api = base + "/bank/api/" + unit;
        this.jdbcUrl = jdbcUrl;
        this.accounts = accounts;
    }

    /** The application: its classes, persistence.xml and beans.xml. */
    static WebArchive war() {
        return ShrinkWrap.create(WebArchive.class, "bank.war")
                .addPackage(Account.class.getPackage())
                .addAsResource("bank-app/persistence.xml", "META-INF/persistence.xml")
                .addAsWebInfResource("bank-app/beans.xml", "beans.xml");
    }

    /** Creates (again) the database and its two tables; false while the server cannot do it yet. */
    static boolean createSchema(String serverUrl, String database) {
        try (Connection c = DriverManager.getConnection(serverUrl, "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + database);
            s.execute("USE " + database);
            s.execute("DROP TABLE IF EXISTS account");
            s.execute("DROP TABLE IF EXISTS transfer");
            s.execute("CREATE TABLE account (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL, version BIGINT NOT NULL)");
            s.execute("CREATE TABLE transfer (id BIGINT PRIMARY KEY, src BIGINT NOT NULL, dst BIGINT NOT NULL,"
                    + " amount BIGINT NOT NULL)");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Opens the accounts through the application (one transaction). */
    void open() {
        Http.Answer answer = Http.post(api + "/accounts?count=" + accounts + "&balance=" + INITIAL, null, null);
        if (answer.status() != 200) {
            throw new AssertionError("opening the accounts: HTTP " + answer.status() + ": " + answer.body());
        }
    }

    /** What the application's connections report inside a transaction: {@code jdbc=LEVEL session=LEVEL}. */
    String isolation() {
        Http.Answer answer = Http.get(api + "/isolation");
        if (answer.status() != 200) {
            throw new AssertionError("isolation: HTTP " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    int acknowledged() {
        return acknowledged.get();
    }

    /**
     * Runs {@code clients} clients making transfers until {@code transfers} were attempted or {@code stop} is set,
     * with the reader sampling the total; returns when all have ended.
     */
    void run(int clients, int transfers, AtomicBoolean stop) throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> sampleTotals(done), "bank-reader");
        reader.start();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                long id;
                while (!stop.get() && (id = ids.incrementAndGet()) <= transfers) {
                    transfer(id);
                }
            }, "bank-client-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        done.set(true);
        reader.join();
    }

    private void transfer(long id) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(accounts);
        int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
        long amount = 1 + random.nextInt(99);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/transfers/" + id + "?from=" + from + "&to=" + to
                + "&amount=" + amount)).timeout(Duration.ofSeconds(150)).POST(HttpRequest.BodyPublishers.noBody()).build();
        Outcome outcome;
        String body;
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            body = response.statusCode() + " " + response.body();
            outcome = response.statusCode() == 200 && response.body().equals("committed") ? Outcome.ACKNOWLEDGED
                    : response.body().startsWith("refused") ? Outcome.REFUSED : Outcome.UNKNOWN;
        } catch (IOException e) {
            body = "HTTP call failed: " + e;
            outcome = Outcome.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            body = "interrupted";
            outcome = Outcome.UNKNOWN;
        }
        attempts.put(id, new Attempt(id, from, to, amount, outcome, body));
        if (outcome == Outcome.ACKNOWLEDGED) {
            acknowledged.incrementAndGet();
        }
    }

    /** Reads the total and the number of accounts, one sample every 200 ms, until {@code done}. */
    private void sampleTotals(AtomicBoolean done) {
        Connection c = null;
        while (!done.get()) {
            try {
                if (c == null) {
                    c = DriverManager.getConnection(jdbcUrl, "root", "");
                }
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT SUM(balance), COUNT(*) FROM account")) {
                    rs.next();
                    samples.incrementAndGet();
                    if (rs.getLong(1) != INITIAL * accounts || rs.getInt(2) != accounts) {
                        wrongTotals.add(rs.getLong(1) + (rs.getInt(2) == accounts ? "" : " over " + rs.getInt(2) + " accounts"));
                    }
                }
                Thread.sleep(200); // the sampling rate, not a wait for a condition
            } catch (SQLException e) {
                close(c); // a server went away (the cluster test): sample through a new session
                c = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close(c);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already broken; nothing to release
            }
        }
    }

    /** The final check; returns what is wrong (empty when nothing is) after a summary line. */
    Result check() throws SQLException {
        Map<Long, long[]> rows = new HashMap<>();
        Map<Integer, Long> balances = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "root", ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, balance FROM account")) {
                while (rs.next()) {
                    balances.put(rs.getInt(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, src, dst, amount FROM transfer")) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        List<String> problems = new ArrayList<>();
        long total = balances.values().stream().mapToLong(Long::longValue).sum();
        if (balances.size() != accounts) {
            problems.add(balances.size() + " accounts, expected " + accounts);
        }
        if (total != INITIAL * accounts) {
            problems.add("the balances add up to " + total + ", expected " + INITIAL * accounts);
        }
        long[] expected = new long[accounts];
        java.util.Arrays.fill(expected, INITIAL);
        int unknownPresent = 0;
        for (Map.Entry<Long, long[]> row : rows.entrySet()) {
            long[] t = row.getValue();
            Attempt a = attempts.get(row.getKey());
            if (a == null) {
                problems.add("transfer " + row.getKey() + " is in the table but was never attempted");
                continue;
            }
            if (a.from() != t[0] || a.to() != t[1] || a.amount() != t[2]) {
                problems.add("transfer " + row.getKey() + " is in the table as " + t[0] + "→" + t[1] + " " + t[2]
                        + ", attempted as " + a.from() + "→" + a.to() + " " + a.amount());
            }
            if (a.outcome() == Outcome.REFUSED) {
                problems.add("transfer " + a.id() + " was refused (" + a.answer() + ") but is in the table");
            }
            if (a.outcome() == Outcome.UNKNOWN) {
                unknownPresent++;
            }
            if (t[0] >= 0 && t[0] < accounts && t[1] >= 0 && t[1] < accounts) {
                expected[(int) t[0]] -= t[2];
                expected[(int) t[1]] += t[2];
            }
        }
        Map<Outcome, Long> byOutcome = attempts.values().stream()
                .collect(Collectors.groupingBy(Attempt::outcome, TreeMap::new, Collectors.counting()));
        for (Attempt a : attempts.values()) {
            if (a.outcome() == Outcome.ACKNOWLEDGED && !rows.containsKey(a.id())) {
                problems.add("acknowledged transfer " + a.id() + " (" + a.from() + "→" + a.to() + " " + a.amount()
                        + ") is not in the table");
            }
        }
        for (Map.Entry<Integer, Long> b : balances.entrySet()) {
            int account = b.getKey();
            if (account < 0 || account >= accounts) {
                problems.add("unexpected account " + account);
            } else if (b.getValue() != expected[account]) {
                problems.add("account " + account + " holds " + b.getValue() + ", its start plus the " + rows.size()
                        + " transfers in the table give " + expected[account] + " (off by "
                        + (b.getValue() - expected[account]) + ")");
            }
        }
        if (!wrongTotals.isEmpty()) {
            problems.add(wrongTotals.size() + " of the " + samples.get() + " reads of the total during the run saw another"
                    + " total than " + INITIAL * accounts + ": " + String.join(", ", wrongTotals.subList(0, Math.min(10,
                    wrongTotals.size()))) + (wrongTotals.size() > 10 ? ", …" : ""));
        }
        Map<String, Long> refusals = attempts.values().stream().filter(a -> a.outcome() != Outcome.ACKNOWLEDGED)
                .collect(Collectors.groupingBy(a -> kind(a.answer()), TreeMap::new, Collectors.counting()));
        String summary = String.format("%d transfers attempted: %s; %d rows in transfer (%d of them with an unknown"
                + " answer), %d accounts totalling %d; %d reads of the total; answers other than committed: %s",
                attempts.size(), byOutcome, rows.size(), unknownPresent, balances.size(), total, samples.get(), refusals);
        return new Result(summary, problems, attempts.values().stream().filter(a -> a.outcome() != Outcome.ACKNOWLEDGED)
                .map(a -> a.id() + ": " + a.answer()).limit(5).toList());
    }

    /** The kind of a non-committed answer: its status and outcome words, then the innermost exception named. */
    private static String kind(String answer) {
        String[] parts = answer.split(" \\| ");
        String head = parts[0];
        String last = parts.length > 1 ? parts[parts.length - 1] : "";
        int colon = last.indexOf(':');
        return head + (last.isEmpty() ? "" : " (" + (colon > 0 ? last.substring(0, colon) : last) + ")");
    }

    record Result(String summary, List<String> problems, List<String> examples) {
        /** The assertion message: the summary, then each problem on a line (the first 30). */
        String report() {
            StringBuilder out = new StringBuilder(summary);
            problems.stream().limit(30).forEach(p -> out.append("\n  ").append(p));
            if (problems.size() > 30) {
                out.append("\n  … and ").append(problems.size() - 30).append(" more");
            }
            return out.toString();
        }
    }
}
