package io.cairn.mysql.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A self-signed PKCS12 key store for a test server's TLS, made by the JDK's keytool. */
public final class TestKeyStore {
    public static final char[] PASSWORD = "changeit".toCharArray();

    private TestKeyStore() {
    }

    /** Creates {@code dir/server.p12} (key and certificate for CN=localhost, password {@link #PASSWORD}). */
    public static Path create(Path dir) throws IOException, InterruptedException {
        Path ks = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "cairn", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        return ks;
    }
}
