package io.cairn.it;

import jakarta.json.Json;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.time.Duration;
import java.util.Base64;

/**
 * A small HTTP client for the tests: calls with optional Basic credentials, JSON bodies parsed. HTTP/1.1:
 * with the client's default, HTTP/2, the server's GOAWAY has cut calls short.
 */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    record Answer(int status, String body) {
        JsonStructure json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.read();
            }
        }
    }

    private Http() {
    }

    static Answer get(String url, String user, String password) {
        return get(CLIENT, url, user, password);
    }

    static Answer get(HttpClient client, String url, String user, String password) {
        return send(client, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET(), user, password);
    }

    /** POST without a body; these calls do work (a storage self-test, a heal), so they may take longer. */
    static Answer post(String url, String user, String password) {
        return post(CLIENT, url, user, password);
    }

    static Answer post(HttpClient client, String url, String user, String password) {
        return send(client, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()), user, password);
    }

    /**
     * A client that trusts only the certificates in {@code pemFile}: a cluster's admin API over HTTPS, whose
     * servers' self-signed certificates {@code bin/cairn cluster up} exports to {@code var/https/}.
     */
    static HttpClient trusting(Path pemFile) {
        return client(tlsTrusting(pemFile), Duration.ofSeconds(2));
    }

    /** TLS that trusts only the certificates in {@code pemFile}; also for a headless browser (HtmlUnit). */
    static SSLContext tlsTrusting(Path pemFile) {
        try (var in = Files.newInputStream(pemFile)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("server-" + i++, c);
            }
            return tlsTrustingOnly(trusted);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificates in " + pemFile, e);
        }
    }

    /** A client that trusts only the certificates in a PKCS12 key store: a Liberty server's generated one. */
    static HttpClient trustingKeyStore(Path p12, char[] password) {
        try (var in = Files.newInputStream(p12)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            // the connect timeout covers the TLS handshake too: the first one of a busy server can take seconds
            return client(tlsTrustingOnly(store), Duration.ofSeconds(10));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store " + p12, e);
        }
    }

    private static SSLContext tlsTrustingOnly(KeyStore trusted) throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    private static HttpClient client(SSLContext tls, Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(connectTimeout).build();
    }

    /** Any method, with a plain-text body if {@code body} is not null. */
    static Answer call(String method, String url, String body, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (body != null) {
            request.header("Content-Type", "text/plain");
        }
        return send(CLIENT, request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)), user, password);
    }

    private static Answer send(HttpClient client, HttpRequest.Builder request, String user, String password) {
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Answer get(String url) {
        return get(url, null, null);
    }

    /**
     * Whether {@code base/health/ready} answers UP with at least one check. Right after a deployment Liberty
     * can answer UP with no checks at all, before the application's checks are registered.
     */
    static boolean readyWithChecks(String base) {
        Answer answer = get(base + "/health/ready");
        return answer.status() == 200 && !answer.json().asJsonObject().getJsonArray("checks").isEmpty();
    }
}
