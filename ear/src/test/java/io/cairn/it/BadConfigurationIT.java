package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bad configuration stops {@code bin/cairn up} with one line that names the property: checked
 * by the script before Liberty starts (a taken port) and by the application inside Liberty (an
 * unknown role).
 */
class BadConfigurationIT {
    private static final Path REPO = Path.of(System.getProperty("cairn.repo", "..")).toAbsolutePath().normalize();
    private static final Path VAR = REPO.resolve("ear/target/bad-config-it");
    private static final int OFFSET = 2000;

    @AfterEach
    void down() throws Exception {
        run(Duration.ofMinutes(1), "down");
    }

    @Test
    void aTakenPortIsNamed() throws Exception {
        int httpPort = 9080 + OFFSET;
        try (ServerSocket taken = new ServerSocket(httpPort, 1, InetAddress.getByName("127.0.0.1"))) {
            Result result = run(Duration.ofMinutes(3), "up");
            assertThat(result.exit()).isNotZero();
            assertThat(result.lastLine()).isEqualTo("cairn: server cairn: cairn.http.port: 127.0.0.1:" + httpPort + " is in use");
        }
    }

    @Test
    void anUnknownRoleIsNamedAndTheServerStops() throws Exception {
        Result result = run(Duration.ofMinutes(3), "up", "--roles", "proxy,database");
        assertThat(result.exit()).isNotZero();
        assertThat(result.lastLine()).startsWith("cairn: server cairn: CAIRN0001E")
                .endsWith("cairn.roles: unknown role 'database' (allowed: proxy,cn,tn,log)");
        assertThat(result.output()).doesNotContain("Exception", "\tat ");
        assertThat(run(Duration.ofSeconds(30), "status").output()).contains("stopped");
    }

    private record Result(int exit, String output) {
        String lastLine() {
            List<String> lines = output.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private static Result run(Duration timeout, String... args) throws Exception {
        Files.createDirectories(VAR);
        Path output = Files.createTempFile(VAR, "cairn", ".out");
        List<String> command = new java.util.ArrayList<>(List.of(REPO.resolve("bin/cairn").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("CAIRN_VAR", VAR.toString());
        builder.environment().put("CAIRN_PORT_OFFSET", String.valueOf(OFFSET));
        builder.environment().put("CAIRN_WLP", REPO.resolve("ear/target/liberty/wlp").toString());
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/cairn " + String.join(" ", args) + " did not finish in " + timeout);
        }
        return new Result(process.exitValue(), Files.readString(output));
    }
}
