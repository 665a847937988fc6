package io.cairn.sql.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.mysql.AuthPlugin;
import io.cairn.sql.SqlException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Account matching, privilege folding, the checks' 1142/1143 choice and SHOW GRANTS, without a cluster. */
class AccountsTest {
    private static Account account(String user, String host) {
        return Account.create(user, host, AuthPlugin.CACHING_SHA2_PASSWORD, user + "-pw");
    }

    private static long mask(Privilege... ps) {
        long m = 0;
        for (Privilege p : ps) {
            m |= p.bit();
        }
        return m;
    }

    @Test
    void theMostSpecificHostWinsAndRootIsBuiltIn() throws Exception {
        Accounts a = new Accounts(1, List.of(account("jo", "%"), account("jo", "10.1.%"), account("jo", "10.1.2.3")),
                List.of(), "rootpw");
        InetSocketAddress exact = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 1);
        InetSocketAddress near = new InetSocketAddress(InetAddress.getByName("10.1.9.9"), 1);
        InetSocketAddress far = new InetSocketAddress(InetAddress.getByName("192.168.0.1"), 1);
        assertThat(a.match("jo", exact).host()).isEqualTo("10.1.2.3");
        assertThat(a.match("jo", near).host()).isEqualTo("10.1.%");
        assertThat(a.match("jo", far).host()).isEqualTo("%");
        assertThat(a.match("nobody", far)).isNull();
        Account root = a.match("root", far);
        assertThat(root.isRoot()).isTrue();
        assertThat(a.privileges(root).global()).isEqualTo(Privilege.EVERYTHING);
    }

    @Test
    void widerGrantsHoldAtNarrowerLevelsAndColumnGrantsOnlyOnTheirColumns() {
        Accounts a = new Accounts(1, List.of(account("u", "%")), List.of(
                new Grant("u", "%", null, null, null, mask(Privilege.PROCESS)),
                new Grant("u", "%", "App", null, null, mask(Privilege.INSERT)),
                new Grant("u", "%", "app", "T", null, mask(Privilege.DELETE)),
                new Grant("u", "%", "app", "t", "A", mask(Privilege.SELECT))), "");
        AccountPrivileges p = a.privileges(a.account("u", "%"));
        assertThat(Privilege.INSERT.in(p.table("APP", "other"))).isTrue();
        assertThat(Privilege.DELETE.in(p.table("app", "t"))).isTrue();
        assertThat(Privilege.DELETE.in(p.table("app", "u"))).isFalse();
        assertThat(Privilege.SELECT.in(p.column("app", "t", "a"))).isTrue();
        assertThat(Privilege.SELECT.in(p.column("app", "t", "b"))).isFalse();
        assertThat(p.seesDatabase("app")).isTrue();
        assertThat(p.seesDatabase("other")).isFalse(); // PROCESS is no privilege on databases
        assertThat(p.seesColumn("app", "t", "b")).isTrue(); // DELETE on the table shows all its columns

        AccessChecks.require(p, "app", "t", Privilege.SELECT, List.of("a"), false, "u", "h");
        assertThatThrownBy(() -> AccessChecks.require(p, "app", "t", Privilege.SELECT, List.of("a", "b"), false, "u", "h"))
                .isInstanceOf(SqlException.class)
                .hasMessage("SELECT command denied to user 'u'@'h' for column 'b' in table 't'");
        assertThatThrownBy(() -> AccessChecks.require(p, "app", "t", Privilege.SELECT, List.of("a"), true, "u", "h"))
                .hasMessage("SELECT command denied to user 'u'@'h' for table 't'");
        assertThatThrownBy(() -> AccessChecks.require(p, "app", "u", Privilege.SELECT, List.of(), false, "u", "h"))
                .hasMessage("SELECT command denied to user 'u'@'h' for table 'u'");
        assertThat(a.privileges(null)).isSameAs(AccountPrivileges.NONE);
    }

    @Test
    void showGrantsWritesMysqlsLines() {
        Account u = account("u", "10.%");
        List<String> lines = ShowGrants.lines(u, List.of(
                new Grant("u", "10.%", null, null, null, mask(Privilege.PROCESS, Privilege.CONNECTION_ADMIN)),
                new Grant("u", "10.%", "app", null, null, Privilege.ALL_DATABASE | Privilege.GRANT_OPTION.bit()),
                new Grant("u", "10.%", "app", "t", null, mask(Privilege.INSERT)),
                new Grant("u", "10.%", "app", "t", "a", mask(Privilege.SELECT, Privilege.UPDATE))));
        assertThat(lines).containsExactly(
                "GRANT PROCESS ON *.* TO `u`@`10.%`",
                "GRANT CONNECTION_ADMIN ON *.* TO `u`@`10.%`",
                "GRANT ALL PRIVILEGES ON `app`.* TO `u`@`10.%` WITH GRANT OPTION",
                "GRANT SELECT (`a`), INSERT, UPDATE (`a`) ON `app`.`t` TO `u`@`10.%`");
        assertThat(ShowGrants.lines(account("v", "%"), List.of())).containsExactly("GRANT USAGE ON *.* TO `v`@`%`");
    }

    @Test
    void rowsWrittenBeforeAccountsHadHostsAreReadAsAnyHost() {
        byte[] hash = new byte[21];
        hash[0] = 1;
        Account legacy = AccountStore.decodeAccount("old".getBytes(StandardCharsets.UTF_8), hash);
        assertThat(legacy.host()).isEqualTo("%");
        assertThat(legacy.credential().plugin()).isEqualTo(AuthPlugin.MYSQL_NATIVE_PASSWORD);
        List<Grant> db = AccountStore.decodeGrants("old\0app".getBytes(StandardCharsets.UTF_8),
                "SELECT,CREATE VIEW".getBytes(StandardCharsets.UTF_8));
        assertThat(db).containsExactly(new Grant("old", "%", "app", null, null, mask(Privilege.SELECT, Privilege.CREATE_VIEW)));
        List<Grant> global = AccountStore.decodeGrants("old\0*".getBytes(StandardCharsets.UTF_8),
                "ALL".getBytes(StandardCharsets.UTF_8));
        assertThat(global.get(0).level()).isEqualTo(Grant.Level.GLOBAL);
        assertThat(global.get(0).mask()).isEqualTo(Privilege.ALL_GLOBAL);
    }
}
