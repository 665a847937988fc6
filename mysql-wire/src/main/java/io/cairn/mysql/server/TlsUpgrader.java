package io.cairn.mysql.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Switches a connection to TLS when the client's first packet is an SSLRequest (a 32-byte handshake
 * response with CLIENT_SSL). Sits first in the pipeline: it consumes the SSLRequest, tells the
 * {@link ClientConnection} (user event {@link #TLS_STARTED}, so the next handshake response is expected with
 * sequence id 2), inserts Netty's SslHandler behind itself and removes itself; bytes already received
 * after the SSLRequest (the TLS ClientHello) flow into the SslHandler. Any other first packet just removes
 * the upgrader. Used by the compute node's server and by the proxy's client-facing port; one instance
 * may serve both.
 *
 * <p>Protocols and ciphers: TLS 1.3 and 1.2 only, and of 1.2 only ECDHE key exchange with AEAD ciphers
 * ({@link #CIPHERS}): no RSA key exchange, no CBC, no SHA-1 MACs. A client offering only older
 * protocols or other ciphers fails the TLS handshake.
 *
 * <p>Reloading: the key store is read again, for new connections only, when {@link #reload()} is called
 * (ALTER INSTANCE RELOAD TLS) or when {@link #reloadIfChanged()} sees another modification time or size
 * (the servers call it every {@link #CHECK_PERIOD}). Connections already in TLS keep their session. A key
 * store that cannot be read leaves the previous certificate in use. Thread-safe.
 */
public final class TlsUpgrader {
    private static final Logger LOG = Logger.getLogger(TlsUpgrader.class.getName());

    /** User event fired when the SSLRequest was consumed. */
    public static final Object TLS_STARTED = new Object() {
        @Override
        public String toString() {
            return "TLS_STARTED";
        }
    };

    /** How often servers look at the key store file for a change. */
    public static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

    /** Offered protocols, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Offered cipher suites: TLS 1.3's three, and TLS 1.2 with forward secrecy (ECDHE) and AEAD only
     * (AES-GCM, ChaCha20-Poly1305), for ECDSA and RSA certificates.
     */
    public static final List<String> CIPHERS = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** A loaded key store: the context new connections get, and what identified the file then. */
    private record Loaded(SslContext context, Object fileKey, String subject) {
    }

    private final Path keyStore;
    private final char[] password;
    private final String setting;
    private volatile Loaded current;
    /** The file that failed to load at the last check, so that it is reported once, not every period. */
    private volatile Object failedKey;

    private TlsUpgrader(Path keyStore, char[] password, String setting) {
        this.keyStore = keyStore;
        this.password = password.clone();
        this.setting = setting;
        this.current = load();
    }

    /** A fixed context, without a key store file to reload. */
    private TlsUpgrader(Loaded fixed) {
        this.keyStore = null;
        this.password = new char[0];
        this.setting = null;
        this.current = fixed;
    }

    /**
     * @throws IllegalArgumentException naming the key store when it cannot be read
     */
    public static TlsUpgrader fromKeyStore(Path keyStore, char[] password) {
        return fromKeyStore(keyStore, password, "tlsKeyStore");
    }

    /**
     * @param setting the configuration property that named the key store, for messages
     * @throws IllegalArgumentException naming the setting and the key store when it cannot be read
     */
    public static TlsUpgrader fromKeyStore(Path keyStore, char[] password, String setting) {
        return new TlsUpgrader(keyStore, password, setting);
    }

    /** The subject of the certificate new connections get (for logs and tests). */
    public String subject() {
        return current.subject();
    }

    /**
     * Reads the key store again now (ALTER INSTANCE RELOAD TLS).
     *
     * @throws IllegalArgumentException when it cannot be read; the previous certificate stays in use
     */
    public synchronized void reload() {
        if (keyStore == null) {
            return; // the cluster certificate: nothing to read again
        }
        current = load();
        LOG.log(Level.INFO, "CAIRN0310I: TLS key store {0} reloaded; new connections get {1}",
                new Object[] {keyStore, current.subject()});
    }

    /**
     * Reloads the key store when its modification time or size changed since it was loaded. A file that
     * cannot be read (e.g. half written) is logged and tried again at the next check.
     *
     * @return whether a new certificate is in use
     */
    public synchronized boolean reloadIfChanged() {
        if (keyStore == null) {
            return false;
        }
        Object key = fileKey();
        if (key == null || key.equals(current.fileKey()) || key.equals(failedKey)) {
            return false;
        }
        try {
            reload();
            return true;
        } catch (IllegalArgumentException e) {
            failedKey = key;
            LOG.log(Level.WARNING, "CAIRN0311W: the changed TLS key store cannot be used yet; "
                    + "connections keep the previous certificate until it changes again: {0}", e.getMessage());
            return false;
        }
    }

    private Object fileKey() {
        try {
            BasicFileAttributes a = Files.readAttributes(keyStore, BasicFileAttributes.class);
            return Arrays.asList(a.fileKey(), a.lastModifiedTime().toMillis(), a.size()); // a replaced file has another inode
        } catch (IOException e) {
            return null;
        }
    }

    private Loaded load() {
        Object key = fileKey();
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SslContext context = SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS).ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE).build();
            return new Loaded(context, key, subject(ks));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("invalid MySQL server setting " + setting + ": " + keyStore + ": " + e, e);
        }
    }

    private static String subject(KeyStore ks) throws GeneralSecurityException {
        for (String alias : java.util.Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                Certificate c = ks.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    return x.getSubjectX500Principal().getName() + " serial " + x.getSerialNumber().toString(16);
                }
            }
        }
        throw new GeneralSecurityException("no private key entry with an X.509 certificate");
    }

    /**
     * TLS with the cluster certificate, asking for the client's (see {@link ClusterCertificates}); not
     * reloaded: the cluster PKI changes with a restart.
     */
    public static TlsUpgrader forCluster(ClusterCertificates certificates) {
        try {
            return new TlsUpgrader(new Loaded(certificates.serverContext(), null, "the cluster certificate"));
        } catch (SSLException e) {
            throw new IllegalArgumentException("invalid MySQL server setting clusterCertificates: " + e, e);
        }
    }

    /** A handler to put first in a new connection's pipeline. */
    public ByteToMessageDecoder newHandler() {
        return new Detector();
    }

    private final class Detector extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (in.readableBytes() < 4) {
                return;
            }
            int length = in.getUnsignedMediumLE(in.readerIndex());
            if (length == 32) {
                if (in.readableBytes() < 36) {
                    return;
                }
                int caps = in.getIntLE(in.readerIndex() + 4);
                if ((caps & Capabilities.SSL) != 0) {
                    in.skipBytes(36);
                    ctx.fireUserEventTriggered(TLS_STARTED);
                    // the certificate of the moment: a reload changes it for later connections only
                    ctx.pipeline().addAfter(ctx.name(), "tls", current.context().newHandler(ctx.alloc()));
                }
            }
            ctx.pipeline().remove(this);
        }
    }
}
