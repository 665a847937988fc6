package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/cairn} for a test's own local cluster (its state folder and port offset, the EAR
 * module's Liberty), as an operator would; its output goes to a file in the state folder.
 */
final class BinCairn {
    private BinCairn() {
    }

    /** Runs {@code bin/cairn args}; fails the test unless it exits 0 within {@code timeout}; returns its output. */
    static String run(Path repo, Path var, int offset, Duration timeout, String... args) throws Exception {
        return run(repo, var, offset, timeout, Map.of(), args);
    }

    /** As {@link #run(Path, Path, int, Duration, String...)}, with more environment variables. */
    static String run(Path repo, Path var, int offset, Duration timeout, Map<String, String> moreEnv, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(repo.resolve("bin/cairn").toString()));
        command.addAll(List.of(args));
        String name = String.join("-", args).replace("--", "").replaceAll("[^A-Za-z0-9._-]+", "_");
        Path output = var.resolve("cairn-" + name.substring(0, Math.min(name.length(), 100)) + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("CAIRN_VAR", var.toString());
        env.put("CAIRN_PORT_OFFSET", String.valueOf(offset));
        env.put("CAIRN_WLP", repo.resolve("ear/target/liberty/wlp").toString());
        env.putAll(moreEnv);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/cairn " + String.join(" ", args) + " did not finish in " + timeout);
        }
        String out = Files.readString(output);
        assertThat(process.exitValue()).as("bin/cairn %s: %s", String.join(" ", args), out).isZero();
        return out;
    }
}
