package io.cairn.mysql.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authentication with both plugins, both drivers, empty and non-empty passwords, and refusals. */
class AuthIT {
    private static FakeEngine engine;

    @BeforeAll
    static void start() throws InterruptedException {
        engine = FakeEngine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static String base(String scheme) {
        return "jdbc:" + scheme + "://127.0.0.1:" + engine.port() + "/test";
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
            "mysql, root, ''",
            "mysql, sha2user, PW",
            "mysql, nativeuser, PW",
            "mysql, nativeempty, ''",
            "mariadb, root, ''",
            "mariadb, sha2user, PW",
            "mariadb, nativeuser, PW",
            "mariadb, nativeempty, ''",
    })
    void logsIn(String scheme, String user, String password) throws SQLException {
        String p = "PW".equals(password) ? FakeEngine.PASSWORD : "";
        try (Connection c = DriverManager.getConnection(base(scheme), user, p);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"mysql, sha2user", "mysql, nativeuser", "mysql, root", "mysql, nobody",
            "mariadb, sha2user", "mariadb, nativeuser", "mariadb, root"})
    void wrongPasswordIsAccessDenied(String scheme, String user) {
        assertThatThrownBy(() -> DriverManager.getConnection(base(scheme), user, "wrong").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getSQLState()).isEqualTo("28000");
                });
    }

    @Test
    void unknownDatabaseIsRefusedByTheFactory() {
        String url = "jdbc:mysql://127.0.0.1:" + engine.port() + "/nosuchdb?user=root";
        assertThatThrownBy(() -> DriverManager.getConnection(url).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1049));
    }

    @Test
    void sessionInfoCarriesUserDatabaseAndAttributes() throws SQLException {
        try (Connection c = DriverManager.getConnection(engine.url("mysql", "root", "",
                "connectionAttributes=app:authtest"))) {
            assertThat(c.isValid(2)).isTrue();
        }
        assertThat(engine.sessions).anySatisfy(info -> {
            assertThat(info.user()).isEqualTo("root");
            assertThat(info.database()).isEqualTo("test");
            assertThat(info.attributes()).containsEntry("app", "authtest");
        });
    }
}
