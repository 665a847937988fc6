package io.cairn.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.ConfigException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAccountsTest {
    private static AdminAccounts accounts(Map<String, String> settings) {
        return AdminAccounts.from(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void theOperatorAndTheReaderGetTheirRolesWithTheirOwnPasswordsOnly() {
        AdminAccounts a = accounts(Map.of(AdminAccounts.PASSWORD, "op-pw", AdminAccounts.READONLY_PASSWORD, "ro-pw"));
        assertThat(a.roleOf("admin", "op-pw")).contains(AdminRoles.OPERATOR);
        assertThat(a.roleOf("reader", "ro-pw")).contains(AdminRoles.READER);
        assertThat(a.roleOf("admin", "ro-pw")).isEmpty();
        assertThat(a.roleOf("reader", "op-pw")).isEmpty();
        assertThat(a.roleOf("admin", "op-pw ")).isEmpty();
        assertThat(a.roleOf("Admin", "op-pw")).isEmpty();
        assertThat(a.roleOf("root", "op-pw")).isEmpty();
        assertThat(a.roleOf("admin", "")).isEmpty();
    }

    @Test
    void namesComeFromConfiguration() {
        AdminAccounts a = accounts(Map.of(AdminAccounts.USER, "ops", AdminAccounts.PASSWORD, "p1",
                AdminAccounts.READONLY_USER, "viewer", AdminAccounts.READONLY_PASSWORD, "p2"));
        assertThat(a.roleOf("ops", "p1")).contains(AdminRoles.OPERATOR);
        assertThat(a.roleOf("viewer", "p2")).contains(AdminRoles.READER);
        assertThat(a.roleOf("admin", "p1")).isEmpty();
    }

    @Test
    void anAccountWithoutAPasswordDoesNotExist() {
        AdminAccounts none = accounts(Map.of(AdminAccounts.PASSWORD, ""));
        assertThat(none.any()).isFalse();
        assertThat(none.roleOf("admin", "")).isEmpty();
        AdminAccounts operatorOnly = accounts(Map.of(AdminAccounts.PASSWORD, "p"));
        assertThat(operatorOnly.any()).isTrue();
        assertThat(operatorOnly.roleOf("reader", "")).isEmpty();
    }

    @Test
    void oversizedInputIsRefusedWithoutComparing() {
        AdminAccounts a = accounts(Map.of(AdminAccounts.PASSWORD, "p"));
        assertThat(a.roleOf("admin", "p".repeat(AdminAccounts.MAX_LENGTH + 1))).isEmpty();
        assertThat(a.roleOf("a".repeat(100_000), "p")).isEmpty();
    }

    @Test
    void badSettingsNameTheirProperty() {
        assertThatThrownBy(() -> accounts(Map.of(AdminAccounts.PASSWORD, "a", AdminAccounts.READONLY_PASSWORD, "b",
                AdminAccounts.READONLY_USER, "admin")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.property()).isEqualTo(AdminAccounts.READONLY_USER));
        assertThatThrownBy(() -> accounts(Map.of(AdminAccounts.USER, "a:b", AdminAccounts.PASSWORD, "p")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.property()).isEqualTo(AdminAccounts.USER));
        assertThatThrownBy(() -> accounts(Map.of(AdminAccounts.PASSWORD, "p".repeat(AdminAccounts.MAX_LENGTH + 1))))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.property()).isEqualTo(AdminAccounts.PASSWORD));
    }
}
