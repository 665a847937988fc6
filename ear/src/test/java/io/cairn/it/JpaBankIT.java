package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.node.testing.Wait;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16: an ordinary JPA application on Liberty (EclipseLink, {@code @Version} accounts, a {@code @Transactional}
 * CDI bean, a {@code <dataSource>} with Connector/J) against the all-in-one Cairn server through its proxy, with
 * concurrent transfers of random amounts between few accounts: no money may appear or vanish, every balance must
 * match the committed transfers (see {@link JpaBank}). The data sources (ear/src/test/liberty/server.xml) leave the
 * isolation level to Liberty, whose default for MySQL is READ COMMITTED, except the REPEATABLE READ one.
 *
 * <p>Each test runs {@code cairn.jpa.rounds} rounds (default 1), each on tables created again.
 *
 * <p>The test server runs the Cairn EAR (deployed again after {@link AllInOneServerIT}; this class needs only SQL,
 * not /health) and the bank application.
 */
@ExtendWith(ArquillianExtension.class)
class JpaBankIT {
    private static final String BASE = "http://127.0.0.1:" + System.getProperty("cairn.it.http.port", "9180");
    private static final int PROXY_PORT = Integer.getInteger("cairn.it.proxy.port", 6091);
    private static final String SERVER_URL = "jdbc:mysql://127.0.0.1:" + PROXY_PORT + "/?sslMode=DISABLED&connectTimeout=5000";
    static final int ACCOUNTS = 8;
    static final int CLIENTS = 8;
    static final int TRANSFERS = 400;
    /** Rounds per test: {@code -Dcairn.jpa.rounds=10} for issue 16's ten runs. */
    static final int ROUNDS = Integer.getInteger("cairn.jpa.rounds", 1);

    @Deployment(name = "cairn", order = 1, testable = false)
    static EnterpriseArchive cairn() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("cairn.ear")));
    }

    @Deployment(name = "bank", order = 2, testable = false)
    static WebArchive bank() {
        return JpaBank.war();
    }

    @Test
    void readCommittedByDefaultClientSidePreparedStatements() throws Exception {
        rounds("single", "jpa_single", "", "jdbc=READ_COMMITTED session=READ-COMMITTED");
    }

    @Test
    void readCommittedByDefaultServerSidePreparedStatements() throws Exception {
        rounds("serverPrepared", "jpa_sps", "&useServerPrepStmts=true", "jdbc=READ_COMMITTED session=READ-COMMITTED");
    }

    @Test
    void repeatableRead() throws Exception {
        rounds("repeatableRead", "jpa_rr", "", "jdbc=REPEATABLE_READ session=REPEATABLE-READ");
    }

    private static void rounds(String unit, String database, String options, String isolation) throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            JpaBank bank = bank(unit, database, options);
            assertThat(bank.isolation()).isEqualTo(isolation);
            transfersKeepTheBooks(bank, round);
        }
    }

    private static JpaBank bank(String unit, String database, String options) {
        Wait.until("the database " + database + " to be created through the proxy", Duration.ofSeconds(120),
                () -> JpaBank.createSchema(SERVER_URL, database));
        JpaBank bank = new JpaBank(BASE, unit, "jdbc:mysql://127.0.0.1:" + PROXY_PORT + "/" + database
                + "?sslMode=DISABLED&connectTimeout=5000" + options, ACCOUNTS);
        bank.open();
        return bank;
    }

    private static void transfersKeepTheBooks(JpaBank bank, int round) throws Exception {
        long start = System.nanoTime();
        bank.run(CLIENTS, TRANSFERS, new AtomicBoolean());
        JpaBank.Result result = bank.check();
        System.out.printf("JpaBankIT round %d/%d: %s (%d s); e.g. %s%n", round, ROUNDS, result.summary(),
                (System.nanoTime() - start) / 1_000_000_000L, result.examples());
        assertThat(result.problems()).withFailMessage(result::report).isEmpty();
        assertThat(bank.acknowledged()).as("committed transfers: %s", result.summary()).isGreaterThan(TRANSFERS / 10);
    }
}
