package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Users, passwords and database-level grants, enforced per statement. */
class PrivilegesIT {
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).rootPassword("s3cret").build();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aUserWithoutAGrantIsRefusedUntilGranted() throws SQLException {
        String url = cluster.mysqlUrl(0, "");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "root", "wrong").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        try (Connection root = DriverManager.getConnection(url, "root", "s3cret"); Statement s = root.createStatement()) {
            s.execute("CREATE DATABASE app");
            s.execute("CREATE TABLE app.t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO app.t VALUES (1)");
            s.execute("CREATE USER 'bob'@'%' IDENTIFIED BY 'pw'");
            try (Connection bob = DriverManager.getConnection(url, "bob", "pw"); Statement b = bob.createStatement()) {
                assertThatThrownBy(() -> b.execute("USE app"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
                assertThatThrownBy(() -> b.execute("CREATE USER eve"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1227));
                s.execute("GRANT SELECT ON app.* TO bob");
                b.execute("USE app");
                try (ResultSet rs = b.executeQuery("SELECT id FROM t")) {
                    assertThat(rs.next()).isTrue();
                }
                assertThatThrownBy(() -> b.executeUpdate("INSERT INTO t VALUES (2)"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
                s.execute("GRANT INSERT ON app.* TO bob");
                assertThat(b.executeUpdate("INSERT INTO t VALUES (2)")).isEqualTo(1);
                s.execute("REVOKE ALL ON app.* FROM bob");
                assertThatThrownBy(() -> b.executeQuery("SELECT id FROM t"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
            }
            s.execute("DROP USER bob");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "bob", "pw").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        }
    }
}
