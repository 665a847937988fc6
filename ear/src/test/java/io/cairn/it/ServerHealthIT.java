package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.File;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The EAR, unchanged, on a managed Liberty server (all roles, one server): health lists a check
 * per role, everything becomes ready, and the admin API lists the member and demands credentials.
 */
@ExtendWith(ArquillianExtension.class)
class ServerHealthIT {
    private static final String BASE = "http://127.0.0.1:" + System.getProperty("cairn.it.http.port", "9180");
    private static final String PASSWORD = System.getProperty("cairn.it.admin.password");

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("cairn.ear")));
    }

    @BeforeEach
    void serverIsReady() {
        Wait.until("/health/ready to answer UP", Duration.ofSeconds(120),
                () -> Http.get(BASE + "/health/ready").status() == 200);
    }

    @Test
    void everyProbeListsOneCheckPerRoleAndTheMembership() {
        for (String probe : List.of("started", "live", "ready")) {
            Http.Answer answer = Http.get(BASE + "/health/" + probe);
            assertThat(answer.status()).as(probe).isEqualTo(200);
            JsonObject health = answer.json().asJsonObject();
            assertThat(health.getString("status")).isEqualTo("UP");
            List<String> names = health.getJsonArray("checks").stream()
                    .map(check -> check.asJsonObject().getString("name")).sorted().toList();
            assertThat(names).as(probe).containsExactly("cn", "log", "membership", "proxy", "tn");
        }
    }

    @Test
    void logReadinessReportsItsLeader() {
        JsonObject log = Http.get(BASE + "/health/ready").json().asJsonObject().getJsonArray("checks").stream()
                .map(c -> c.asJsonObject()).filter(c -> c.getString("name").equals("log")).findFirst().orElseThrow();
        assertThat(log.getJsonObject("data").getString("leader")).isEqualTo("it");
    }

    @Test
    void membersListsThisServerWithItsRolesAndEndpoints() {
        Http.Answer answer = Http.get(BASE + "/api/cluster/members", "admin", PASSWORD);
        assertThat(answer.status()).isEqualTo(200);
        JsonArray members = answer.json().asJsonArray();
        assertThat(members).hasSize(1);
        JsonObject self = members.getJsonObject(0);
        assertThat(self.getString("name")).isEqualTo("it");
        assertThat(self.getBoolean("local")).isTrue();
        assertThat(self.getJsonArray("roles").getValuesAs(v -> v.toString().replace("\"", "")))
                .containsExactlyInAnyOrder("proxy", "cn", "tn", "log");
        assertThat(self.getJsonObject("endpoints").getString("http")).isEqualTo("127.0.0.1:" + BASE.replaceAll(".*:", ""));
        Wait.until("the member to publish state ready", Duration.ofSeconds(10), () -> "ready".equals(
                Http.get(BASE + "/api/cluster/members", "admin", PASSWORD).json().asJsonArray()
                        .getJsonObject(0).getString("state")));
    }

    @Test
    void adminApiRefusesMissingOrWrongCredentials() {
        assertThat(Http.get(BASE + "/api/cluster/members").status()).isEqualTo(401);
        assertThat(Http.get(BASE + "/api/cluster/members", "admin", "wrong").status()).isEqualTo(401);
        assertThat(Http.get(BASE + "/api/cluster/members", "root", PASSWORD).status()).isEqualTo(401);
    }
}
