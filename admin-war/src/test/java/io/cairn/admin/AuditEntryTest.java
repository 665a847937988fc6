package io.cairn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditEntryTest {
    private static final Instant T = Instant.parse("2026-12-05T17:20:01.123Z");

    @Test
    void oneLineOfKeyValuePairsInAFixedOrder() {
        AuditEntry e = new AuditEntry(T, "admin", "127.0.0.1", "PUT", "/api/cluster/cn/s3/group", null, "reporting", 200, 7);
        assertThat(e.format()).isEqualTo("2026-12-05T17:20:01.123Z user=admin addr=127.0.0.1 method=PUT"
                + " path=/api/cluster/cn/s3/group body=reporting status=200 ms=7");
    }

    @Test
    void aRefusedLoginWithoutAUserAndAQuery() {
        AuditEntry e = new AuditEntry(T, null, "10.0.0.9", "POST", "/api/storage/heal", "key=a/b", null, 401, 0);
        assertThat(e.format()).isEqualTo("2026-12-05T17:20:01.123Z user=- addr=10.0.0.9 method=POST"
                + " path=/api/storage/heal query=\"key=a/b\" status=401 ms=0");
    }

    @Test
    void whatAClientSendsCannotBreakTheLineOrForgeAField() {
        AuditEntry e = new AuditEntry(T, "eve\nstatus=200", "::1", "PUT", "/api/x", null, "a \"b\"\\\u0001", 403, 1);
        String line = e.format();
        assertThat(line).doesNotContain("\n").contains("user=\"eve\\nstatus=200\"")
                .contains("body=\"a \\\"b\\\"\\\\\\u0001\"").endsWith("status=403 ms=1");
        String longUser = "u".repeat(10_000);
        assertThat(new AuditEntry(T, longUser, "::1", "POST", "/p", null, null, 401, 0).format())
                .contains("user=" + "u".repeat(AuditEntry.MAX_VALUE) + " addr=");
    }
}
