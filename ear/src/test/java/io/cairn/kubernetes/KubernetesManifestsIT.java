package io.cairn.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes deployment ({@code deploy/kubernetes}) as {@code kubectl kustomize} renders each overlay, with
 * secrets made by its {@code make-secrets.sh} in a copy of the folder: every workload has the three probes on
 * the health paths the server serves, on its HTTP port as the configuration sets it, with short timeouts for
 * readiness; resources are set; every Secret and ConfigMap a pod refers to exists; services reach ports the
 * pods open; the log peers are the StatefulSet's pods; the StatefulSet has its headless service, volumes,
 * anti-affinity and a disruption budget of one. No cluster is needed.
 */
class KubernetesManifestsIT {
    private static final Path DEPLOY = Path.of(System.getProperty("cairn.repo", ".."), "deploy", "kubernetes")
            .toAbsolutePath().normalize();
    private static final Map<String, String> PROBES = Map.of(
            "startupProbe", "/health/started", "livenessProbe", "/health/live", "readinessProbe", "/health/ready");

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theRenderedOverlayIsConsistent(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Map<String, Object>> byKindAndName = new HashMap<>();
        docs.forEach(d -> byKindAndName.put(d.get("kind") + "/" + name(d), d));
        Map<String, String> config = configMap(docs);

        Map<String, Object> secrets = docs.stream().filter(d -> "Secret".equals(d.get("kind"))
                && name(d).startsWith("cairn-secrets")).findFirst().map(d -> map(d, "data")).orElseThrow();
        assertThat(secrets).as("the HTTPS port's key store password (CAIRN_HTTPS_PORT is set)")
                .containsKey("keystore_password");

        List<Map<String, Object>> workloads = docs.stream()
                .filter(d -> List.of("StatefulSet", "Deployment").contains(d.get("kind"))).toList();
        assertThat(workloads).isNotEmpty();
        for (Map<String, Object> workload : workloads) {
            Map<String, Object> pod = map(map(map(workload, "spec"), "template"), "spec");
            for (Map<String, Object> container : list(pod, "containers")) {
                String what = name(workload) + "/" + container.get("name");
                Map<Object, Integer> ports = containerPorts(container);
                assertThat(ports.get("http")).as(what + " HTTP port = CAIRN_HTTP_PORT")
                        .isEqualTo(Integer.parseInt(config.get("CAIRN_HTTP_PORT")));
                assertThat(ports.get("https")).as(what + " HTTPS port (admin API, /metrics) = CAIRN_HTTPS_PORT")
                        .isEqualTo(Integer.parseInt(config.get("CAIRN_HTTPS_PORT")));
                Map<String, Object> annotations = map(map(map(workload, "spec"), "template"), "metadata")
                        .containsKey("annotations") ? map(map(map(map(workload, "spec"), "template"), "metadata"),
                        "annotations") : Map.of();
                assertThat(annotations).as(what + " scrape annotations")
                        .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/scheme", "https")
                        .containsEntry("prometheus.io/path", "/metrics")
                        .containsEntry("prometheus.io/port", config.get("CAIRN_HTTPS_PORT"));
                PROBES.forEach((probe, path) -> {
                    Map<String, Object> get = map(map(container, probe), "httpGet");
                    assertThat(get.get("path")).as(what + " " + probe).isEqualTo(path);
                    assertThat(get.get("port")).as(what + " " + probe + " port").isEqualTo("http");
                });
                assertThat((Integer) map(container, "readinessProbe").get("timeoutSeconds")).as(what + " readiness timeout")
                        .isLessThanOrEqualTo(2);
                assertResources(what, container);
                if (ports.containsKey("mysql")) {
                    assertThat(ports.get("mysql")).as(what + " MySQL port = CAIRN_PROXY_PORT")
                            .isEqualTo(Integer.parseInt(config.get("CAIRN_PROXY_PORT")));
                }
            }
            for (Map<String, Object> init : list(pod, "initContainers")) {
                assertResources(name(workload) + "/" + init.get("name"), init);
            }
            for (String ref : references(pod)) {
                assertThat(byKindAndName).as(name(workload) + " refers to " + ref).containsKey(ref);
            }
        }

        for (Map<String, Object> service : docs.stream().filter(d -> "Service".equals(d.get("kind"))).toList()) {
            Map<String, Object> selector = map(map(service, "spec"), "selector");
            List<Map<String, Object>> selected = workloads.stream().filter(w -> labels(w).entrySet()
                    .containsAll(selector.entrySet())).toList();
            assertThat(selected).as("pods of service " + name(service)).isNotEmpty();
            for (Map<String, Object> port : list(map(service, "spec"), "ports")) {
                Object target = port.get("targetPort");
                assertThat(selected).as("service " + name(service) + " port " + target).allSatisfy(w ->
                        assertThat(list(map(map(map(w, "spec"), "template"), "spec"), "containers").stream()
                                .anyMatch(c -> containerPorts(c).containsKey(target))).isTrue());
            }
        }

        Map<String, Object> core = byKindAndName.get("StatefulSet/cairn-core");
        Map<String, Object> spec = map(core, "spec");
        int replicas = (Integer) spec.get("replicas");
        assertThat(replicas).isEqualTo(overlay.equals("prod") ? 3 : 1);
        Map<String, Object> headless = byKindAndName.get("Service/" + spec.get("serviceName"));
        assertThat(map(headless, "spec").get("clusterIP")).isEqualTo("None");
        assertThat(list(spec, "volumeClaimTemplates")).isNotEmpty();
        assertThat(map(map(map(spec, "template"), "spec"), "affinity")).containsKey("podAntiAffinity");
        Map<String, Object> budget = byKindAndName.get("PodDisruptionBudget/cairn-core");
        assertThat(map(budget, "spec").get("maxUnavailable")).isEqualTo(1);
        assertThat(map(map(budget, "spec"), "selector").get("matchLabels")).isEqualTo(map(spec, "selector").get("matchLabels"));
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            peers.add("cairn-core-" + i + "=cairn-core-" + i + "." + spec.get("serviceName") + ":" + config.get("CAIRN_LOG_PORT"));
        }
        assertThat(config.get("CAIRN_LOG_PEERS")).isEqualTo(String.join(",", peers));
        assertThat(config.get("CAIRN_DISCOVERY")).isEqualTo("kubernetes");
        assertThat(byKindAndName).containsKey("Service/" + config.get("CAIRN_DISCOVERY_SERVICE_DNS"));
    }

    private List<Map<String, Object>> render(String overlay) throws IOException, InterruptedException {
        Path copy = temp.resolve("kubernetes");
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path rel = DEPLOY.relativize(p);
                if (Stream.of(rel.toString().split("/")).anyMatch("secrets"::equals)) {
                    continue; // an operator's own secrets never go into the test
                }
                Path to = copy.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                    to.toFile().setExecutable(p.toFile().canExecute());
                }
            }
        }
        run(copy, List.of("./make-secrets.sh", "overlays/" + overlay));
        String yaml = run(copy, List.of("kubectl", "kustomize", "overlays/" + overlay));
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc != null) {
                docs.add(cast(doc));
            }
        }
        return docs;
    }

    private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("CAIRN_STORAGE_ENDPOINTS", "s3:https://minio-0.minio:9000,s3:https://minio-1.minio:9000");
        pb.environment().put("CAIRN_STORAGE_ACCESS_KEY", "test-access");
        pb.environment().put("CAIRN_STORAGE_SECRET_KEY", "test-secret");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(command + " finished").isTrue();
        assertThat(p.exitValue()).as(command + ": " + out).isZero();
        return out;
    }

    private static Map<String, String> configMap(List<Map<String, Object>> docs) {
        Map<String, Object> cm = docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))
                && name(d).startsWith("cairn-config")).findFirst().orElseThrow();
        Map<String, String> out = new HashMap<>();
        map(cm, "data").forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static void assertResources(String what, Map<String, Object> container) {
        Map<String, Object> resources = map(container, "resources");
        assertThat(map(resources, "requests")).as(what + " requests").containsKeys("cpu", "memory");
        assertThat(map(resources, "limits")).as(what + " limits").containsKey("memory");
    }

    /** Kind/name of every Secret and ConfigMap the pod names: envFrom, env valueFrom, volumes. */
    private static Set<String> references(Map<String, Object> pod) {
        Set<String> refs = new HashSet<>();
        List<Map<String, Object>> containers = new ArrayList<>(list(pod, "containers"));
        containers.addAll(list(pod, "initContainers"));
        for (Map<String, Object> c : containers) {
            for (Map<String, Object> from : list(c, "envFrom")) {
                if (from.containsKey("secretRef")) {
                    refs.add("Secret/" + map(from, "secretRef").get("name"));
                }
                if (from.containsKey("configMapRef")) {
                    refs.add("ConfigMap/" + map(from, "configMapRef").get("name"));
                }
            }
            for (Map<String, Object> env : list(c, "env")) {
                Map<String, Object> valueFrom = map(env, "valueFrom");
                if (valueFrom.containsKey("secretKeyRef")) {
                    refs.add("Secret/" + map(valueFrom, "secretKeyRef").get("name"));
                }
                if (valueFrom.containsKey("configMapKeyRef")) {
                    refs.add("ConfigMap/" + map(valueFrom, "configMapKeyRef").get("name"));
                }
            }
        }
        for (Map<String, Object> volume : list(pod, "volumes")) {
            if (volume.containsKey("secret")) {
                refs.add("Secret/" + map(volume, "secret").get("secretName"));
            }
            if (volume.containsKey("configMap")) {
                refs.add("ConfigMap/" + map(volume, "configMap").get("name"));
            }
        }
        return refs;
    }

    /** Port name → number, and number → number, so a service's targetPort can be looked up either way. */
    private static Map<Object, Integer> containerPorts(Map<String, Object> container) {
        Map<Object, Integer> out = new HashMap<>();
        for (Map<String, Object> port : list(container, "ports")) {
            Integer number = (Integer) port.get("containerPort");
            out.put(number, number);
            if (port.get("name") != null) {
                out.put(port.get("name"), number);
            }
        }
        return out;
    }

    private static Map<String, Object> labels(Map<String, Object> workload) {
        return map(map(map(map(workload, "spec"), "template"), "metadata"), "labels");
    }

    private static String name(Map<String, Object> doc) {
        return String.valueOf(map(doc, "metadata").get("name"));
    }

    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? Map.of() : cast(v);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? List.of() : (List<Map<String, Object>>) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
