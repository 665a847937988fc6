package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mysql.cj.jdbc.MysqlXADataSource;
import com.mysql.cj.jdbc.MysqlXid;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cairn as an XA resource through Connector/J's XA data source, the way a Jakarta EE transaction
 * manager with one resource drives it: start, work, end, one-phase commit or rollback. Two-phase
 * commit is refused at PREPARE (XAER_INVAL), and the branch can then be rolled back.
 */
class XaIT {
    private static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE xa");
            s.execute("CREATE TABLE xa.t (id INT PRIMARY KEY, v VARCHAR(10))");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static XAConnection xaConnection() throws SQLException {
        MysqlXADataSource ds = new MysqlXADataSource();
        ds.setUrl(cluster.mysqlUrl(0, "xa"));
        ds.setUser("root");
        ds.setPassword("");
        return ds.getXAConnection();
    }

    private static Xid xid(String gtrid) {
        return new MysqlXid(gtrid.getBytes(StandardCharsets.UTF_8), "b1".getBytes(StandardCharsets.UTF_8), 4660);
    }

    private static int count(String where) throws SQLException {
        try (Connection c = cluster.connect(0, "xa"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t WHERE " + where)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aOnePhaseCommitCommitsAndARollbackLeavesNothing() throws Exception {
        XAConnection xc = xaConnection();
        try {
            XAResource r = xc.getXAResource();
            Connection c = xc.getConnection();
            Xid one = xid("g-commit");
            r.start(one, XAResource.TMNOFLAGS);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
            }
            r.end(one, XAResource.TMSUCCESS);
            assertThat(count("id IN (1, 2)")).as("nothing visible before the commit").isZero();
            r.commit(one, true);
            assertThat(count("id IN (1, 2)")).isEqualTo(2);

            Xid two = xid("g-rollback");
            r.start(two, XAResource.TMNOFLAGS);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (3, 'three')");
            }
            r.end(two, XAResource.TMSUCCESS);
            r.rollback(two);
            assertThat(count("id = 3")).isZero();
            assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();
        } finally {
            xc.close();
        }
    }

    @Test
    void twoPhaseCommitIsRefusedAtPrepareAndTheBranchRollsBack() throws Exception {
        XAConnection xc = xaConnection();
        try {
            XAResource r = xc.getXAResource();
            Connection c = xc.getConnection();
            Xid x = xid("g-2pc");
            r.start(x, XAResource.TMNOFLAGS);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (4, 'four')");
            }
            r.end(x, XAResource.TMSUCCESS);
            assertThatThrownBy(() -> r.prepare(x)).isInstanceOfSatisfying(XAException.class,
                    e -> assertThat(e.errorCode).isEqualTo(XAException.XAER_INVAL));
            assertThatThrownBy(() -> r.commit(x, false)).isInstanceOf(XAException.class);
            r.rollback(x);
            assertThat(count("id = 4")).isZero();
        } finally {
            xc.close();
        }
    }

    @Test
    void localTransactionControlAndWorkAfterEndAreRefusedInsideABranch() throws Exception {
        try (Connection c = cluster.connect(0, "xa"); Statement s = c.createStatement()) {
            s.execute("XA START 'g-local', 'b', 1");
            s.executeUpdate("INSERT INTO t VALUES (5, 'five')");
            assertThatThrownBy(() -> s.execute("COMMIT")).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1399);
                assertThat(e.getMessage()).contains("ACTIVE");
            });
            assertThatThrownBy(() -> s.execute("XA END 'other'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1397));
            s.execute("XA END 'g-local', 'b', 1");
            assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1399));
            assertThatThrownBy(() -> s.execute("XA COMMIT 'g-local', 'b', 1"))
                    .as("two-phase commit of a branch never prepared").isInstanceOf(SQLException.class);
            s.execute("XA COMMIT 'g-local', 'b', 1 ONE PHASE");
            assertThat(count("id = 5")).isEqualTo(1);
            s.execute("BEGIN");
            s.executeUpdate("INSERT INTO t VALUES (6, 'six')");
            assertThatThrownBy(() -> s.execute("XA START 'g-after-work'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1400));
            s.execute("ROLLBACK");
        }
    }
}
