package io.cairn.it;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Every admin API endpoint of an EAR, found by reflection over the resource classes of its web module (the
 * {@code @Path} classes under {@code WEB-INF/classes}, {@code /api/internal/…} left out), so that a test
 * over this list covers an endpoint added later without being told. The classes are loaded from the EAR's
 * own jars (lib/, EJB modules, the RAR's jars, the WAR's classes) in a throw-away class loader.
 */
final class AdminEndpoints {
    /** One endpoint: its HTTP method, its path under the context root with {@code {param}} templates, its
     *  query parameters' names, and whether it takes a plain-text body. */
    record Endpoint(String method, String path, List<String> queryParams, boolean textBody) {
        boolean mutating() {
            return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        }

        /** The path with every template filled with {@code value}, and every query parameter set to it. */
        String call(String value) {
            String filled = path.replaceAll("\\{[^}]+}", value);
            StringBuilder query = new StringBuilder();
            for (String q : queryParams) {
                query.append(query.length() == 0 ? "?" : "&").append(q).append('=').append(value);
            }
            return filled + query;
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private AdminEndpoints() {
    }

    static List<Endpoint> of(java.nio.file.Path ear) {
        try {
            java.nio.file.Path dir = Files.createTempDirectory("cairn-ear-classes");
            List<URL> urls = new ArrayList<>();
            List<String> classNames = new ArrayList<>();
            unpack(ear, dir, urls, classNames);
            List<Endpoint> endpoints = new ArrayList<>();
            try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), AdminEndpoints.class.getClassLoader())) {
                for (String name : classNames) {
                    Class<?> c = Class.forName(name, false, loader);
                    Path base = c.getAnnotation(Path.class);
                    if (base == null || trim(base.value()).startsWith("internal")) {
                        continue;
                    }
                    for (Method m : c.getDeclaredMethods()) {
                        String http = httpMethod(m);
                        if (http != null) {
                            Path sub = m.getAnnotation(Path.class);
                            String path = "/api/" + trim(base.value()) + (sub == null ? "" : "/" + trim(sub.value()));
                            List<String> query = Arrays.stream(m.getParameters()).map(p -> p.getAnnotation(QueryParam.class))
                                    .filter(q -> q != null).map(QueryParam::value).toList();
                            boolean text = Arrays.stream(m.getParameters()).anyMatch(AdminEndpoints::isEntity);
                            endpoints.add(new Endpoint(http, path, query, text));
                        }
                    }
                }
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            endpoints.sort(Comparator.comparing(Endpoint::toString));
            return endpoints;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String trim(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    /** A parameter with no JAX-RS annotation is the request body. */
    private static boolean isEntity(Parameter p) {
        return p.getAnnotations().length == 0;
    }

    /** Copies every jar of the EAR (also those inside its RAR and WAR) and the WAR's classes into {@code dir}. */
    private static void unpack(java.nio.file.Path ear, java.nio.file.Path dir, List<URL> urls, List<String> classNames)
            throws IOException {
        // created first: a class loader takes a URL without a trailing '/' for a jar
        java.nio.file.Path classes = Files.createDirectories(dir.resolve("war-classes"));
        urls.add(classes.toUri().toURL());
        try (ZipFile zip = new ZipFile(ear.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                String name = e.getName();
                if (name.endsWith(".jar")) {
                    urls.add(copy(zip.getInputStream(e), dir, name));
                } else if (name.endsWith(".rar") || name.endsWith(".war")) {
                    try (ZipInputStream inner = new ZipInputStream(zip.getInputStream(e))) {
                        for (ZipEntry i; (i = inner.getNextEntry()) != null; ) {
                            String n = i.getName();
                            if (n.endsWith(".jar")) {
                                urls.add(copy(inner, dir, name + "/" + n));
                            } else if (n.startsWith("WEB-INF/classes/") && n.endsWith(".class")) {
                                String relative = n.substring("WEB-INF/classes/".length());
                                copy(inner, classes, relative);
                                classNames.add(relative.substring(0, relative.length() - ".class".length()).replace('/', '.'));
                            }
                        }
                    }
                }
            }
        }
    }

    private static URL copy(InputStream in, java.nio.file.Path dir, String name) throws IOException {
        java.nio.file.Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        return target.toUri().toURL();
    }
}
