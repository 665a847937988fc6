package io.cairn.node.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away cluster PKI for tests, made with the JDK's {@code keytool} as {@code bin/cairn} makes the
 * real one: a CA, a trust store holding only it, and per name a PKCS12 key store with an EC key and a
 * certificate the CA signed for 127.0.0.1 and localhost. Each instance is its own CA, so two instances
 * give a "foreign" certificate for negative tests.
 */
public final class TestPki {
    private final Path dir;
    private final String password;

    private TestPki(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /** Creates a new CA under {@code dir} (which must be empty or absent). */
    public static TestPki create(Path dir) throws IOException {
        Files.createDirectories(dir);
        TestPki pki = new TestPki(dir, UUID.randomUUID().toString());
        pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=test-cluster-ca-" + dir.getFileName(), "-ext", "bc:c", "-validity", "30",
                "-keystore", pki.file("ca.p12"), "-storetype", "PKCS12");
        pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.file("ca.p12"), "-file", pki.file("ca.pem"));
        pki.keytool("-importcert", "-noprompt", "-alias", "cluster-ca", "-file", pki.file("ca.pem"),
                "-keystore", pki.file("trust.p12"), "-storetype", "PKCS12");
        return pki;
    }

    /** Issues a key store for {@code name} (key and CA-signed certificate); returns its path. */
    public Path issue(String name) throws IOException {
        String store = file(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "30", "-keystore", store, "-storetype", "PKCS12");
        keytool("-certreq", "-alias", name, "-keystore", store, "-file", file(name + ".csr"));
        keytool("-gencert", "-alias", "ca", "-keystore", file("ca.p12"), "-infile", file(name + ".csr"),
                "-outfile", file(name + ".pem"), "-rfc", "-validity", "30",
                "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-ext", "KU=digitalSignature",
                "-ext", "EKU=serverAuth,clientAuth");
        Files.writeString(dir.resolve(name + "-chain.pem"),
                Files.readString(dir.resolve(name + ".pem")) + Files.readString(dir.resolve("ca.pem")));
        keytool("-importcert", "-noprompt", "-alias", name, "-file", file(name + "-chain.pem"), "-keystore", store);
        return dir.resolve(name + ".p12");
    }

    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    public String password() {
        return password;
    }

    /** The {@code cairn.cluster.tls.*} settings of a server presenting {@code keyStore}. */
    public Map<String, String> settings(Path keyStore) {
        return Map.of(ClusterTls.KEY_STORE, keyStore.toString(), ClusterTls.TRUST_STORE, trustStore().toString(),
                ClusterTls.PASSWORD, password);
    }

    /** The loaded cluster TLS of a server presenting a new certificate for {@code name}. */
    public ClusterTls clusterTls(String name) throws IOException {
        Map<String, String> settings = settings(issue(name));
        return ClusterTls.load(key -> Optional.ofNullable(settings.get(key))).orElseThrow();
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // a short-lived JVM: start it light, tests create many of these on a busy machine
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"));
        command.addAll(List.of(args));
        command.add("-storepass:env");
        command.add("TEST_PKI_PASSWORD");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TEST_PKI_PASSWORD", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
