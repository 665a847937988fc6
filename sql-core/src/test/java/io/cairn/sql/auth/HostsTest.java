package io.cairn.sql.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class HostsTest {
    private static InetSocketAddress at(String ip) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(ip), 3306);
    }

    @Test
    void patternsMatchTheClientsAddress() throws UnknownHostException {
        assertThat(Hosts.matches("%", at("10.1.2.3"))).isTrue();
        assertThat(Hosts.matches("10.1.%", at("10.1.2.3"))).isTrue();
        assertThat(Hosts.matches("10.1.%", at("10.11.2.3"))).isFalse();
        assertThat(Hosts.matches("10.1.2._", at("10.1.2.3"))).isTrue();
        assertThat(Hosts.matches("10.1.2._", at("10.1.2.33"))).isFalse();
        assertThat(Hosts.matches("10.1.2.3", at("10.1.2.3"))).isTrue();
        assertThat(Hosts.matches("10.1.2.3", at("10.1.2.4"))).isFalse();
        assertThat(Hosts.matches("10\\_1.%", at("10.1.2.3"))).isFalse(); // an escaped wildcard is a character
    }

    @Test
    void localhostIsEveryLoopbackClient() throws UnknownHostException {
        assertThat(Hosts.matches("localhost", at("127.0.0.1"))).isTrue();
        assertThat(Hosts.matches("LOCALHOST", at("127.0.0.2"))).isTrue();
        assertThat(Hosts.matches("localhost", at("::1"))).isTrue();
        assertThat(Hosts.matches("localhost", at("10.0.0.1"))).isFalse();
        assertThat(Hosts.matches("::1", at("::1"))).isTrue();
        assertThat(Hosts.clientHost(at("127.0.0.1"))).isEqualTo("localhost");
        assertThat(Hosts.clientHost(at("10.0.0.1"))).isEqualTo("10.0.0.1");
        assertThat(Hosts.text(InetAddress.getByName("fe80:0:0:0:0:0:0:5"))).isEqualTo("fe80::5");
    }

    @Test
    void withoutAnIpAddressOnlyTheWildcardMatches() {
        assertThat(Hosts.matches("%", null)).isTrue();
        assertThat(Hosts.matches("localhost", null)).isFalse();
        assertThat(Hosts.clientHost(null)).isEmpty();
    }

    @Test
    void exactHostsAreMoreSpecificThanPatternsAndLaterWildcardsMoreThanEarlier() {
        assertThat(Hosts.specificity("localhost")).isGreaterThan(Hosts.specificity("10.1.2.%"));
        assertThat(Hosts.specificity("10.1.2.%")).isGreaterThan(Hosts.specificity("10.%"));
        assertThat(Hosts.specificity("10.%")).isGreaterThan(Hosts.specificity("%"));
        assertThat(Hosts.specificity("a\\%b")).isEqualTo(Hosts.specificity("localhost"));
    }
}
