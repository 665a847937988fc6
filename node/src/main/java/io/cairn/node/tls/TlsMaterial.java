package io.cairn.node.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * A key store (this endpoint's private key and certificate chain) and, optionally, a trust store (the
 * certificates that peers' chains must end in), both PKCS12, loaded once and turned into the JSSE
 * objects every TLS user needs: key and trust managers for Netty, gRPC and HTTPS clients, and an
 * {@link SSLContext} limited to TLS 1.2 and 1.3.
 *
 * <p>Used for the cluster's internal traffic ({@link ClusterTls}) and usable as is for a client-facing
 * key store. Immutable and thread-safe; a reload is a new instance.
 */
public final class TlsMaterial {
    /** The protocols Cairn speaks on every TLS endpoint, inside and outside the cluster. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final X509KeyManager keyManager;
    private final X509TrustManager trustManager;
    private final List<X509Certificate> trusted;

    private TlsMaterial(X509KeyManager keyManager, X509TrustManager trustManager, List<X509Certificate> trusted) {
        this.keyManager = keyManager;
        this.trustManager = trustManager;
        this.trusted = trusted;
    }

    /**
     * Loads the stores.
     *
     * @param keyStore   PKCS12 file holding exactly the key entry this endpoint presents
     * @param trustStore PKCS12 file of trusted certificates, or {@code null} for the JDK's default trust
     * @param password   the password of both stores (and of the key entry)
     * @throws IOException              if a file cannot be read or a password is wrong
     * @throws GeneralSecurityException if a store is not a usable PKCS12 store
     */
    public static TlsMaterial load(Path keyStore, Path trustStore, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore keys = read(keyStore, password);
        if (!hasKeyEntry(keys)) {
            throw new GeneralSecurityException(keyStore + " holds no private key entry");
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        List<X509Certificate> trusted = List.of();
        if (trustStore != null) {
            KeyStore trust = read(trustStore, password);
            trusted = certificates(trust);
            if (trusted.isEmpty()) {
                throw new GeneralSecurityException(trustStore + " holds no trusted certificate");
            }
            tmf.init(trust);
        } else {
            tmf.init((KeyStore) null);
        }
        return new TlsMaterial(only(X509KeyManager.class, kmf.getKeyManagers()),
                only(X509TrustManager.class, tmf.getTrustManagers()), trusted);
    }

    /** Presents this endpoint's certificate. */
    public X509KeyManager keyManager() {
        return keyManager;
    }

    /** Verifies a peer's chain against the trust store (or the JDK's default trust). */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** The certificates of the trust store; empty when it is the JDK's default trust. */
    public List<X509Certificate> trustedCertificates() {
        return trusted;
    }

    /** A TLS context presenting the key store and trusting the trust store, as client or server. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS context", e);
        }
    }

    private static KeyStore read(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static boolean hasKeyEntry(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    private static List<X509Certificate> certificates(KeyStore store) throws GeneralSecurityException {
        return Collections.list(store.aliases()).stream()
                .map(alias -> {
                    try {
                        return store.getCertificate(alias);
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
    }

    private static <T> T only(Class<T> type, Object[] managers) throws GeneralSecurityException {
        return Arrays.stream(managers).filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new GeneralSecurityException("the JDK offers no " + type.getSimpleName()));
    }
}
