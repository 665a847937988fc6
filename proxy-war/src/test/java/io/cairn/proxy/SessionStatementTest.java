package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.proxy.SessionStatement.Kind;
import org.junit.jupiter.api.Test;

class SessionStatementTest {
    @Test
    void killStatementsAreRecognizedWithTheirTarget() {
        SessionStatement kill = SessionStatement.classify("  /* c */ KILL QUERY 1073741825;");
        assertThat(kill.kind()).isEqualTo(Kind.KILL);
        assertThat(kill.name()).isEqualTo("1073741825");
        assertThat(kill.queryOnly()).isTrue();
        assertThat(SessionStatement.classify("kill connection 7").queryOnly()).isFalse();
        assertThat(SessionStatement.classify("KILL 7").kind()).isEqualTo(Kind.KILL);
        assertThat(SessionStatement.classify("KILL @x").kind()).isEqualTo(Kind.OTHER);
    }

    @Test
    void useNamesTheDatabase() {
        assertThat(SessionStatement.classify("USE `my``db`").name()).isEqualTo("my`db");
        assertThat(SessionStatement.classify("use shop;").name()).isEqualTo("shop");
    }

    @Test
    void sessionSetsAreKeyedByWhatTheyAssign() {
        SessionStatement s = SessionStatement.classify("SET @@SESSION.autocommit = 0");
        assertThat(s.kind()).isEqualTo(Kind.SET);
        assertThat(s.keys()).containsExactly("autocommit");
        assertThat(s.constant()).isTrue();
        assertThat(SessionStatement.classify("SET @a = 1, @B := 'x,y'").keys()).containsExactly("@a", "@b");
        assertThat(SessionStatement.classify("set names utf8mb4").keys()).containsExactly("names");
        assertThat(SessionStatement.classify("/*!40101 SET NAMES utf8 */").keys()).containsExactly("names");
        assertThat(SessionStatement.classify("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").keys())
                .containsExactly("transaction isolation");
        assertThat(SessionStatement.classify("SET @x = @x + 1").constant()).isFalse();
        assertThat(SessionStatement.classify("SET @x = NOW()").constant()).isFalse();
        assertThat(SessionStatement.classify("SET character_set_results = NULL").constant()).isTrue();
    }

    @Test
    void whatIsNotSessionStateIsNotRecorded() {
        assertThat(SessionStatement.classify("SET TRANSACTION READ ONLY").kind()).isEqualTo(Kind.OTHER);
        assertThat(SessionStatement.classify("SET GLOBAL max_connections = 10").kind()).isEqualTo(Kind.OTHER);
        assertThat(SessionStatement.classify("SET @@global.x = 1").kind()).isEqualTo(Kind.OTHER);
        assertThat(SessionStatement.classify("SET @a = 1; DELETE FROM t").kind()).isEqualTo(Kind.OTHER);
        assertThat(SessionStatement.classify("SET @a = ';'").kind()).isEqualTo(Kind.SET);
    }

    @Test
    void readsAreRecognized() {
        assertThat(SessionStatement.classify("select * from t").kind()).isEqualTo(Kind.READ);
        assertThat(SessionStatement.classify("-- x\nSHOW TABLES").kind()).isEqualTo(Kind.READ);
        assertThat(SessionStatement.classify("UPDATE t SET a = 1").kind()).isEqualTo(Kind.OTHER);
    }

    @Test
    void repeatedConstantSetsCollapseExpressionsAccumulate() {
        SessionState state = new SessionState(null);
        state.recordSet(SessionStatement.classify("SET autocommit=0"), "SET autocommit=0");
        state.recordSet(SessionStatement.classify("SET @x = 1"), "SET @x = 1");
        state.recordSet(SessionStatement.classify("SET autocommit=1"), "SET autocommit=1");
        state.recordSet(SessionStatement.classify("SET @x = @x + 1"), "SET @x = @x + 1");
        state.recordSet(SessionStatement.classify("SET @x = @x + 1"), "SET @x = @x + 1");
        assertThat(state.sets()).containsExactly("SET @x = 1", "SET autocommit=1", "SET @x = @x + 1", "SET @x = @x + 1");
    }

    @Test
    void statementsThatMayCommitAnOpenTransactionAreRecognized() {
        assertThat(SessionStatement.mayCommit("COMMIT")).isTrue();
        assertThat(SessionStatement.mayCommit("/* x */ commit work")).isTrue();
        assertThat(SessionStatement.mayCommit("CREATE TABLE t (a INT)")).isTrue();
        assertThat(SessionStatement.mayCommit("START TRANSACTION")).isTrue();
        assertThat(SessionStatement.mayCommit("SET autocommit = 1")).isTrue();
        assertThat(SessionStatement.mayCommit("UPDATE t SET a = 1; COMMIT")).isTrue();
        assertThat(SessionStatement.mayCommit("ROLLBACK")).isFalse();
        assertThat(SessionStatement.mayCommit("INSERT INTO t VALUES (1)")).isFalse();
        assertThat(SessionStatement.mayCommit("SET @x = 1")).isFalse();
        assertThat(SessionStatement.mayCommit("SELECT 1")).isFalse();
    }

    @Test
    void clientChosenTextsOfMegabytesAreClassifiedInOnePass() {
        // each of these held the proxy's event loop for minutes or overflowed its stack (wire fuzz)
        int n = 1 << 20;
        long t0 = System.nanoTime();
        assertThat(SessionStatement.classify("SELECT 1" + ";".repeat(n) + "x").kind()).isEqualTo(Kind.OTHER);
        assertThat(SessionStatement.classify(";".repeat(n)).kind()).isEqualTo(Kind.OTHER);
        assertThat(SessionStatement.classify("KILL 1" + " ".repeat(n) + "x").kind()).isEqualTo(Kind.OTHER);
        assertThat(SessionStatement.classify("USE a" + " ".repeat(n) + "x").kind()).isEqualTo(Kind.OTHER);
        assertThat(SessionStatement.classify("USE `" + "a".repeat(n) + "`").name()).hasSize(n);
        assertThat(SessionStatement.classify("/*!".repeat(n / 3) + "SELECT 1" + "*/".repeat(n / 3)).kind())
                .isEqualTo(Kind.READ);
        SessionStatement set = SessionStatement.classify("SET @a = '" + "\\'".repeat(n / 2) + "'");
        assertThat(set.kind()).isEqualTo(Kind.SET);
        assertThat(set.constant()).isTrue();
        assertThat(SessionStatement.classify("SET @a = 1" + ", @b = 'x'".repeat(n / 10)).keys()).hasSize(n / 10 + 1);
        assertThat(SessionStatement.mayCommit("COMMIT" + ";".repeat(n))).isTrue();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(10));
    }

    @Test
    void severalStatementsAreTextAfterASemicolonThatIsNotACommentOrWhiteSpace() {
        assertThat(Lexing.severalStatements("SELECT 1; ;  /* c */ -- x\n# y\n;")).isFalse();
        assertThat(Lexing.severalStatements("SELECT ';' ; SELECT 2")).isTrue();
        assertThat(Lexing.severalStatements("SELECT 1; /*!40101 SET NAMES utf8 */")).isTrue();
        assertThat(Lexing.stripLeadingComments("/*!40101 /*!50000 SET x = 1 */ */")).isEqualTo("SET x = 1");
    }
}
