package io.cairn.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local cluster the suite runs against, driven through {@code bin/cairn} (one state folder, one
 * port offset) and observed through each server's health endpoint.
 */
final class CairnCluster {
    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TN_ACTIVE = Pattern.compile("\"state\"\\s*:\\s*\"active\"");
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(3);

    private final Path cairn;
    private final Path var;
    private final int offset;
    private final int servers;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    /** {@code env}: more environment of every bin/cairn call (e.g. {@code CAIRN_WLP}). */
    CairnCluster(Path cairn, Path var, int offset, int servers, Map<String, String> env) {
        this.cairn = cairn;
        this.var = var;
        this.offset = offset;
        this.servers = servers;
        this.env = Map.copyOf(env);
    }

    int servers() {
        return servers;
    }

    int proxyPort(int server) {
        return 6000 + server + offset;
    }

    private int httpPort(int server) {
        return 9079 + server + offset;
    }

    /** Runs {@code bin/cairn ARGS}; its output on failure is in the exception. */
    String cairn(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(cairn.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = pb.environment();
        environment.putAll(env);
        environment.put("CAIRN_VAR", var.toString());
        environment.put("CAIRN_PORT_OFFSET", String.valueOf(offset));
        environment.putIfAbsent("CAIRN_READY_TIMEOUT", "400");
        Path out = Files.createTempFile("cairn-chaos", ".out");
        try {
            Process p = pb.redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("bin/cairn " + String.join(" ", args) + ": no answer within " + timeout
                        + ": " + Files.readString(out).strip());
            }
            String text = Files.readString(out).strip();
            if (p.exitValue() != 0) {
                throw new IOException("bin/cairn " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Whether server {@code sI} answers /health/ready with UP. */
    boolean ready(int server) {
        return get(httpPort(server), "/health/ready").map(r -> r.statusCode() == 200).orElse(false);
    }

    /**
     * The log leader's server number as the first answering server's log peer knows it (its health
     * data: a local status, no call to the other peers), if any.
     */
    Optional<Integer> logLeader() {
        for (int i = 1; i <= servers; i++) {
            Optional<String> log = get(httpPort(i), "/health/ready").flatMap(r -> check(r.body(), "log"));
            Matcher m = log.map(LEADER::matcher).orElse(null);
            if (m != null && m.find()) {
                return Optional.of(Integer.parseInt(m.group(1).substring(1)));
            }
        }
        return Optional.empty();
    }

    /** The server whose transaction node reports itself active, if one answers. */
    Optional<Integer> activeTn() {
        for (int i = 1; i <= servers; i++) {
            // health answers 503 while a check is DOWN, with the same body
            Optional<HttpResponse<String>> r = get(httpPort(i), "/health/ready");
            if (r.flatMap(x -> check(x.body(), "tn")).map(d -> TN_ACTIVE.matcher(d).find()).orElse(false)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The data object of health check {@code name} in a health answer (flat: no nested objects). */
    private static Optional<String> check(String health, String name) {
        int at = health.indexOf("\"name\":\"" + name + "\"");
        if (at < 0) {
            return Optional.empty();
        }
        int data = health.indexOf("\"data\"", at);
        int end = data < 0 ? -1 : health.indexOf('}', data);
        return end < 0 ? Optional.empty() : Optional.of(health.substring(data, end));
    }

    private Optional<HttpResponse<String>> get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(HTTP_TIMEOUT).build();
        try {
            return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty(); // down, paused or isolated: the caller asks another server
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
