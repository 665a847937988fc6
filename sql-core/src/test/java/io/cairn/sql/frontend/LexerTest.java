package io.cairn.sql.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.sql.SqlException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {
    private static List<String> texts(String sql) {
        return Lexer.tokenize(sql).stream().map(t -> t.type() + ":" + t.text()).toList();
    }

    @Test
    void commentsAreDroppedAndExecutableCommentsRead() {
        assertThat(texts("SELECT 1 # c\n-- x\n/* y */ /*!40101 + 2 */ /*+ hint */"))
                .containsExactly("WORD:SELECT", "NUMBER:1", "SYMBOL:+", "NUMBER:2");
        assertThat(texts("SELECT 5--1")).containsExactly("WORD:SELECT", "NUMBER:5", "SYMBOL:-", "SYMBOL:-", "NUMBER:1");
    }

    @Test
    void stringsIdentifiersAndLiterals() {
        assertThat(texts("'it\\'s' \"a\"\"b\" 'x''y' `we``ird` x'4142' 0xff b'101' @@session.autocommit @v ?"))
                .containsExactly("STRING:it's", "STRING:a\"b", "STRING:x'y", "QUOTED_ID:we`ird", "HEX:4142", "HEX:ff",
                        "BIT:101", "SYSTEM_VAR:session.autocommit", "USER_VAR:v", "PARAM:?");
        assertThat(texts("1.5e3 .5 t1.c")).containsExactly("NUMBER:1.5e3", "NUMBER:.5", "WORD:t1", "SYMBOL:.", "WORD:c");
    }

    @Test
    void plainStringsAndSymbolsReadAsTheGeneralPathReadsThem() {
        assertThat(texts("('a b', \"\", '', 'x\\'', 'y''', 'tab\\t') <=> <> -> a-b"))
                .containsExactly("SYMBOL:(", "STRING:a b", "SYMBOL:,", "STRING:", "SYMBOL:,", "STRING:", "SYMBOL:,",
                        "STRING:x'", "SYMBOL:,", "STRING:y'", "SYMBOL:,", "STRING:tab\t", "SYMBOL:)", "SYMBOL:<=>",
                        "SYMBOL:<>", "SYMBOL:->", "WORD:a", "SYMBOL:-", "WORD:b");
        assertThatThrownBy(() -> Lexer.tokenize("SELECT 'abc\\'"))
                .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.error().code()).isEqualTo(1064));
    }

    @Test
    void unterminatedStringIsASyntaxError() {
        assertThatThrownBy(() -> Lexer.tokenize("SELECT 'abc"))
                .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.error().code()).isEqualTo(1064));
    }

    @Test
    void rendersMysqlFormsForCalcite() {
        SessionContext none = new SessionContext() {
            @Override
            public Object systemVariable(String name) {
                return 1L;
            }

            @Override
            public Object userVariable(String name) {
                return "v";
            }

            @Override
            public Object sessionFunction(String upperName) {
                return upperName.equals("DATABASE") ? "db" : NOT_A_SESSION_FUNCTION;
            }
        };
        List<Token> t = Lexer.tokenize("SELECT CAST(a AS SIGNED), 7 DIV 2, a MOD 3, @@autocommit, @x, DATABASE(), \"q\" FROM DUAL");
        assertThat(CalciteText.render(t, 0, t.size(), none)).isEqualTo(
                "SELECT CAST ( a AS BIGINT ) , 7 / MYSQL_DIV_DIVISOR ( 2 ) , a % 3 , 1 , 'v' , 'db' , 'q'");
        t = Lexer.tokenize("SELECT CONVERT(f(a, b), CHAR), CONVERT(c USING utf8mb4), LOCATE('x', g(s, 1), 2)");
        assertThat(CalciteText.render(t, 0, t.size(), none)).isEqualTo(
                "SELECT CAST ( f ( a , b ) AS VARCHAR ) ,  ( c ) , POSITION ( 'x' IN g ( s , 1 ) FROM 2 )");
    }
}
