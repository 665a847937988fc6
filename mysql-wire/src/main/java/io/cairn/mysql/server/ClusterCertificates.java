package io.cairn.mysql.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * This server's cluster certificate and the cluster CA, as the MySQL port between proxies and compute
 * nodes uses them: the compute node offers TLS with its cluster certificate and requests (does not
 * require) one from the client; a Cairn proxy connects with TLS and presents its own. A
 * {@link ProxyLogin} is then accepted only from a peer whose chain the cluster CA signed.
 *
 * @param keys  presents this server's cluster certificate
 * @param trust accepts only chains that end at the cluster CA
 */
public record ClusterCertificates(X509KeyManager keys, X509TrustManager trust) {
    public ClusterCertificates {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(trust, "trust");
    }

    /** The compute node's side: its certificate, a client certificate requested and checked if sent. */
    SslContext serverContext() throws SSLException {
        return SslContextBuilder.forServer(keys).trustManager(trust).clientAuth(ClientAuth.OPTIONAL)
                .protocols(TlsUpgrader.PROTOCOLS).ciphers(TlsUpgrader.CIPHERS, SupportedCipherSuiteFilter.INSTANCE).build();
    }

    /** The proxy's side: presents its certificate and accepts only a compute node of the cluster. */
    public SslContext clientContext() throws SSLException {
        return SslContextBuilder.forClient().keyManager(keys).trustManager(trust)
                .protocols(TlsUpgrader.PROTOCOLS).ciphers(TlsUpgrader.CIPHERS, SupportedCipherSuiteFilter.INSTANCE).build();
    }

    /** Whether the peer of {@code session} presented a certificate chain that the cluster CA signed. */
    boolean fromClusterServer(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return false; // no client certificate
        }
        if (chain.length == 0 || !Arrays.stream(chain).allMatch(X509Certificate.class::isInstance)) {
            return false;
        }
        X509Certificate[] x509 = Arrays.copyOf(chain, chain.length, X509Certificate[].class);
        try {
            trust.checkClientTrusted(x509, x509[0].getPublicKey().getAlgorithm());
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }
}
