package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mariadb-dump} both ways, the tools unmodified: a Cairn database dumped with {@code --single-transaction}
 * loads into Cairn and into MariaDB, and a MariaDB database dumped the same way loads into Cairn, each with
 * the same rows (every value of every row, BLOB bytes that are not UTF-8 included) and, Cairn to Cairn, the
 * same {@code SHOW CREATE TABLE}. After each direction {@code CHECKSUM TABLE} gives the same checksums on
 * both sides (MariaDB's own, and Cairn's, computed as MariaDB computes them), and one changed row changes
 * Cairn's. MariaDB is the private instance of {@code ../shared/bench/peer-mariadb.sh} on a port of its own.
 *
 * <p>One edit is made to a Cairn dump before MariaDB 10.11 reads it, the one a MySQL 8.0 dump needs too: that
 * MariaDB has no collation {@code utf8mb4_0900_ai_ci} (MySQL 8's default), so it is named
 * {@code utf8mb4_unicode_ci}. {@code --no-tablespaces}: Cairn has none.
 */
class DumpRoundTripIT {
    private static final Path PEER_SCRIPT = Path.of("../../shared/bench/peer-mariadb.sh").toAbsolutePath().normalize();
    private static final String SCHEMA = """
            CREATE TABLE items (
              id INT NOT NULL PRIMARY KEY,
              name VARCHAR(60) NOT NULL,
              price DECIMAL(10,2),
              qty BIGINT NOT NULL DEFAULT 0,
              flag TINYINT,
              note TEXT,
              made DATETIME,
              day DATE,
              payload BLOB,
              code VARBINARY(16),
              KEY k_name (name),
              UNIQUE KEY u_code (code)
            );
            CREATE TABLE seq (n BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, label VARCHAR(20));
            CREATE TABLE typed (
              id INT NOT NULL PRIMARY KEY,
              ti TINYINT UNSIGNED,
              si SMALLINT,
              mi MEDIUMINT UNSIGNED,
              iu INT UNSIGNED,
              bu BIGINT UNSIGNED,
              fl FLOAT,
              dbl DOUBLE,
              du DECIMAL(20,6) UNSIGNED,
              ch CHAR(8),
              bi BINARY(4),
              tt TINYTEXT,
              mt MEDIUMTEXT,
              lt LONGTEXT,
              tb TINYBLOB,
              mb MEDIUMBLOB,
              lb LONGBLOB,
              ts TIMESTAMP NULL,
              tm TIME,
              yr YEAR,
              ok BOOLEAN NOT NULL
            );
            """;
    /** The base tables {@code CHECKSUM TABLE} compares (between them, every column type of the checksum's list). */
    private static final String CHECKSUM_TABLES = "CHECKSUM TABLE items, seq, typed";

    private static SqlCluster cairn;
    private static Path peerDir;
    private static int peerPort;

    @BeforeAll
    static void start() throws Exception {
        assertThat(PEER_SCRIPT).as("the MariaDB peer script of ../shared/bench").exists();
        peerDir = Files.createTempDirectory("cairn-dump-peer");
        peerPort = freePort();
        Result started = run(List.of("bash", PEER_SCRIPT.toString(), "start"), null, 300);
        assertThat(started.exit).as("MariaDB peer start:%n%s", started).isZero();
        cairn = SqlCluster.builder().cns(1).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cairn != null) {
            cairn.close();
        }
        if (peerDir != null) {
            run(List.of("bash", PEER_SCRIPT.toString(), "wipe"), null, 120);
        }
    }

    @Test
    void aCairnDumpLoadsIntoCairnAndIntoMariadbWithTheSameRows() throws Exception {
        try (Connection c = cairn.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE dump_src");
            s.execute("CREATE DATABASE dump_copy");
        }
        try (Connection c = cairn.connect(0, "dump_src")) {
            createAndFill(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SQL SECURITY INVOKER VIEW cheap AS SELECT id, name FROM items WHERE price < 10");
            }
        }
        Result dump = run(dumpCommand(cairn.port(0), "root", "", "dump_src"), null, 120);
        assertThat(dump.exit).as("mariadb-dump of Cairn:%n%s", dump.error).isZero();
        assertThat(dump.error).as("mariadb-dump's complaints").isEmpty();

        Result intoCairn = run(loadCommand(cairn.port(0), "root", "", "dump_copy"), dump.output, 120);
        assertThat(intoCairn.exit).as("loading into Cairn:%n%s", intoCairn.error).isZero();
        try (Connection src = cairn.connect(0, "dump_src"); Connection copy = cairn.connect(0, "dump_copy")) {
            for (String table : List.of("items", "seq", "typed", "cheap")) {
                assertThat(rows(copy, table)).as(table).isEqualTo(rows(src, table)).isNotEmpty();
            }
            for (String table : List.of("items", "seq", "typed")) {
                assertThat(showCreate(copy, table)).isEqualTo(showCreate(src, table));
            }
            try (Statement s = copy.createStatement()) {
                s.execute("INSERT INTO seq (label) VALUES ('after')");
                assertThat(single(copy, "SELECT n FROM seq WHERE label = 'after'"))
                        .as("AUTO_INCREMENT goes on after the loaded rows")
                        .isEqualTo(String.valueOf(Long.parseLong(single(src, "SELECT MAX(n) FROM seq")) + 1));
            }
        }

        peerSql("DROP DATABASE IF EXISTS from_cairn; CREATE DATABASE from_cairn;");
        byte[] forMariadb = new String(dump.output, StandardCharsets.ISO_8859_1)
                .replace("utf8mb4_0900_ai_ci", "utf8mb4_unicode_ci").getBytes(StandardCharsets.ISO_8859_1);
        Result intoMariadb = run(loadCommand(peerPort, "bench", "bench", "from_cairn"), forMariadb, 120);
        assertThat(intoMariadb.exit).as("loading into MariaDB:%n%s", intoMariadb.error).isZero();
        try (Connection src = cairn.connect(0, "dump_src"); Connection copy = cairn.connect(0, "dump_copy");
                Connection maria = peer("from_cairn")) {
            for (String table : List.of("items", "seq", "typed", "cheap")) {
                assertThat(rows(maria, table)).as(table).isEqualTo(rows(src, table));
            }
            List<Long> mariadb = checksums(maria);
            assertThat(checksums(src)).as("CHECKSUM TABLE of the source on Cairn and of its copy on MariaDB")
                    .isEqualTo(mariadb).doesNotContainNull();
            // the copy on Cairn gained a row of seq after the load: take it away again
            try (Statement s = copy.createStatement()) {
                s.execute("DELETE FROM seq WHERE label = 'after'");
            }
            assertThat(checksums(copy)).as("CHECKSUM TABLE of the copy on Cairn").isEqualTo(mariadb);
            assertOneChangedRowChangesTheChecksum(copy, mariadb);
        }
    }

    @Test
    void aMariadbDumpLoadsIntoCairnWithTheSameRows() throws Exception {
        peerSql("DROP DATABASE IF EXISTS to_cairn; CREATE DATABASE to_cairn;");
        try (Connection maria = peer("to_cairn")) {
            createAndFill(maria);
        }
        Result dump = run(dumpCommand(peerPort, "bench", "bench", "to_cairn"), null, 120);
        assertThat(dump.exit).as("mariadb-dump of MariaDB:%n%s", dump.error).isZero();

        try (Connection c = cairn.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE from_mariadb");
        }
        Result load = run(loadCommand(cairn.port(0), "root", "", "from_mariadb"), dump.output, 120);
        assertThat(load.exit).as("loading into Cairn:%n%s", load.error).isZero();
        try (Connection maria = peer("to_cairn"); Connection copy = cairn.connect(0, "from_mariadb")) {
            for (String table : List.of("items", "seq", "typed")) {
                assertThat(rows(copy, table)).as(table).isEqualTo(rows(maria, table)).isNotEmpty();
            }
            List<Long> mariadb = checksums(maria);
            assertThat(checksums(copy)).as("CHECKSUM TABLE on Cairn and on MariaDB").isEqualTo(mariadb)
                    .doesNotContainNull();
            assertOneChangedRowChangesTheChecksum(copy, mariadb);
        }
    }

    /**
     * CHECKSUM TABLE of tables that are not there, a view and QUICK: the same rows (NULL checksums) and the same
     * conditions (level "Error", code, and for 1146 the text) on Cairn as on MariaDB.
     */
    @Test
    void checksumOfMissingTablesAndViewsIsMariadbs() throws Exception {
        String setup = "CREATE TABLE present (a INT, b VARCHAR(5)); INSERT INTO present VALUES (1, 'x'), (NULL, NULL);"
                + " CREATE VIEW seen AS SELECT a FROM present;";
        peerSql("DROP DATABASE IF EXISTS cksum; CREATE DATABASE cksum; USE cksum; " + setup);
        try (Connection c = cairn.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE cksum");
        }
        try (Connection c = cairn.connect(0, "cksum"); Statement s = c.createStatement()) {
            for (String sql : setup.split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
        }
        try (Connection maria = peer("cksum"); Connection c = cairn.connect(0, "cksum")) {
            for (String sql : List.of("CHECKSUM TABLE missing", "CHECKSUM TABLE present, missing, nowhere.t EXTENDED",
                    "CHECKSUM TABLES cksum.present QUICK", "CHECKSUM TABLE seen, missing QUICK")) {
                assertThat(answer(c, sql, false)).as(sql).isEqualTo(answer(maria, sql, false));
                assertThat(answer(c, sql, true)).as(sql + ", with messages").isEqualTo(answer(maria, sql, true));
            }
        }
    }

    /**
     * The result rows of {@code sql} and then each of its conditions (level, code and, when {@code messages},
     * the text of all but 1347, whose wording is MySQL's on Cairn: "is not BASE TABLE", MariaDB's "is not of
     * type 'BASE TABLE'").
     */
    private static List<String> answer(Connection c, String sql, boolean messages) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " | " + rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SHOW WARNINGS")) {
                while (rs.next()) {
                    boolean text = messages && rs.getInt(2) != 1347;
                    out.add(rs.getString(1) + " " + rs.getInt(2) + (text ? " " + rs.getString(3) : ""));
                }
            }
        }
        return out;
    }

    /** The checksums of {@link #CHECKSUM_TABLES} in the connection's database. */
    private static List<Long> checksums(Connection c) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CHECKSUM_TABLES)) {
            while (rs.next()) {
                long v = rs.getLong(2);
                out.add(rs.wasNull() ? null : v);
            }
        }
        return out;
    }

    /** The comparison can fail: one changed value in one row of {@code typed} changes only that table's checksum. */
    private static void assertOneChangedRowChangesTheChecksum(Connection cairnCopy, List<Long> mariadb)
            throws SQLException {
        try (Statement s = cairnCopy.createStatement()) {
            s.execute("UPDATE typed SET yr = yr + 1 WHERE id = 7");
            List<Long> changed = checksums(cairnCopy);
            assertThat(changed.get(2)).as("typed, one row changed").isNotEqualTo(mariadb.get(2));
            assertThat(changed.subList(0, 2)).isEqualTo(mariadb.subList(0, 2));
            s.execute("UPDATE typed SET yr = yr - 1 WHERE id = 7");
        }
        assertThat(checksums(cairnCopy)).isEqualTo(mariadb);
    }

    /** The two tables, with values a dump must carry exactly: quotes, backslashes, line breaks, emoji, raw bytes. */
    private static void createAndFill(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : SCHEMA.split(";")) {
                if (!ddl.isBlank()) {
                    s.execute(ddl);
                }
            }
        }
        Random random = new Random(42);
        String[] names = {"plain", "it's", "back\\slash", "two\nlines", "tab\there", "ünïcödé", "emoji 🪨", "%_"};
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= 300; i++) {
                byte[] payload = new byte[random.nextInt(40)];
                random.nextBytes(payload); // mostly not UTF-8
                p.setInt(1, i);
                p.setString(2, names[i % names.length] + " " + i);
                p.setBigDecimal(3, i % 7 == 0 ? null : java.math.BigDecimal.valueOf(random.nextInt(100_000), 2));
                p.setLong(4, random.nextLong() >> 8);
                p.setObject(5, i % 5 == 0 ? null : (byte) (random.nextInt(256) - 128));
                p.setString(6, i % 3 == 0 ? null : "note " + "x".repeat(random.nextInt(200)) + " '\"\\ end");
                p.setString(7, i % 11 == 0 ? null : String.format("2026-%02d-%02d %02d:%02d:%02d",
                        1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60));
                p.setString(8, String.format("19%02d-%02d-%02d", i % 100, 1 + i % 12, 1 + i % 28));
                p.setBytes(9, i % 13 == 0 ? null : payload);
                p.setBytes(10, HexFormat.of().parseHex(String.format("%08x", i * 2654435761L & 0xffffffffL)));
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO typed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?)")) {
            String[] chars = {"a", "ünï", "🪨 x", "it's", "12345678", ""};
            for (int i = 1; i <= 120; i++) {
                boolean nulls = i % 9 == 0; // every nullable column NULL
                p.setInt(1, i);
                p.setObject(2, nulls ? null : random.nextInt(256));
                p.setObject(3, nulls ? null : random.nextInt(65536) - 32768);
                p.setObject(4, nulls ? null : random.nextInt(1 << 24));
                p.setObject(5, nulls ? null : random.nextLong() >>> 32);
                p.setBigDecimal(6, nulls ? null : new java.math.BigDecimal(Long.toUnsignedString(random.nextLong())));
                // floats of at most 6 digits and doubles of at most 15: what MariaDB prints (and dumps) exactly
                p.setObject(7, nulls ? null : random.nextInt(2000) / 4.0 - 250);
                p.setObject(8, nulls ? null : random.nextInt(1_000_000) / 64.0 - 7000);
                p.setBigDecimal(9, nulls ? null : java.math.BigDecimal.valueOf(random.nextLong() >>> 1, 6)
                        .remainder(java.math.BigDecimal.TEN.pow(14)));
                p.setString(10, nulls ? null : chars[i % chars.length]);
                byte[] four = new byte[4];
                random.nextBytes(four);
                p.setBytes(11, nulls ? null : four);
                p.setString(12, nulls ? null : "tiny " + i);
                p.setString(13, nulls ? null : "medium ✓ " + "m".repeat(random.nextInt(50)));
                p.setString(14, nulls || i % 4 == 0 ? null : "long \\ " + i);
                byte[] blob = new byte[random.nextInt(20)];
                random.nextBytes(blob);
                p.setBytes(15, nulls ? null : blob);
                p.setBytes(16, nulls || i % 5 == 0 ? null : Arrays.copyOf(blob, blob.length / 2));
                p.setBytes(17, nulls ? null : new byte[] {0, (byte) i});
                p.setString(18, nulls ? null : String.format("20%02d-%02d-%02d %02d:%02d:%02d",
                        i % 30, 1 + i % 12, 1 + i % 28, i % 24, (i * 7) % 60, (i * 13) % 60));
                p.setString(19, nulls ? null : String.format("%02d:%02d:%02d", i % 24, (i * 11) % 60, i % 60));
                p.setObject(20, nulls ? null : 1901 + random.nextInt(255));
                p.setBoolean(21, i % 2 == 0);
                p.addBatch();
            }
            p.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < 50; i++) {
                s.execute("INSERT INTO seq (label) VALUES ('l" + i + "')");
            }
            s.execute("DELETE FROM seq WHERE n % 4 = 0");
        }
    }

    /** Every row of {@code table} in key order, each value as text, or hex for binary columns. */
    private static List<String> rows(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    boolean binary = switch (md.getColumnType(i)) {
                        case java.sql.Types.BLOB, java.sql.Types.LONGVARBINARY, java.sql.Types.VARBINARY,
                                java.sql.Types.BINARY -> true;
                        default -> false;
                    };
                    byte[] bytes = binary ? rs.getBytes(i) : null;
                    String text = rs.getString(i);
                    if (text != null && md.getColumnTypeName(i).equals("YEAR")) {
                        // Connector/J shows a YEAR column as a date (yearIsDateType); Cairn's query results
                        // describe YEAR as INT, which it shows as the number: compare the year
                        text = text.substring(0, 4);
                    }
                    row.append(i > 1 ? " | " : "").append(binary
                            ? (bytes == null ? "NULL" : "0x" + HexFormat.of().formatHex(bytes))
                            : String.valueOf(text));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static String showCreate(Connection c, String table) throws SQLException {
        return single(c, "SHOW CREATE TABLE " + table, 2);
    }

    private static String single(Connection c, String sql) throws SQLException {
        return single(c, sql, 1);
    }

    private static String single(Connection c, String sql, int column) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(column);
        }
    }

    private static List<String> dumpCommand(int port, String user, String password, String database) {
        return List.of("timeout", "100", "mariadb-dump", "-h127.0.0.1", "-P" + port, "-u" + user,
                "--password=" + password, "--single-transaction", "--no-tablespaces", database);
    }

    private static List<String> loadCommand(int port, String user, String password, String database) {
        return List.of("timeout", "100", "mariadb", "-h127.0.0.1", "-P" + port, "-u" + user,
                "--password=" + password, database);
    }

    private static Connection peer(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + peerPort + "/" + database
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", "bench", "bench");
    }

    private static void peerSql(String sql) throws Exception {
        Result r = run(List.of("bash", PEER_SCRIPT.toString(), "sql", sql + " GRANT ALL ON *.* TO 'bench'@'%';"),
                null, 60);
        assertThat(r.exit).as("peer sql %s:%n%s", sql, r).isZero();
    }

    private record Result(int exit, byte[] output, String error) {
        @Override
        public String toString() {
            return new String(output, StandardCharsets.UTF_8) + error;
        }
    }

    /** Runs {@code command} with {@code input} on its standard input; stdout as bytes, stderr as text. */
    private static Result run(List<String> command, byte[] input, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PEER_PORT", String.valueOf(peerPort));
        pb.environment().put("PEER_DIR", peerDir.toString());
        pb.environment().put("PEER_BUFFER_POOL", "128M");
        Path err = Files.createTempFile("cairn-dump", ".err");
        pb.redirectError(err.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " " + command.get(2) + " is not installed (Debian packages "
                    + "mariadb-client, mariadb-server; .ci/run installs them)", e);
        }
        Thread feeder = new Thread(() -> {
            try (var in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input);
                }
            } catch (IOException ignored) {
                // the process ended early; its exit status says why
            }
        });
        feeder.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        feeder.join();
        String error = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
        Files.delete(err);
        return new Result(p.exitValue(), out, error);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
