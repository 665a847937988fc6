package io.cairn.admin;

import io.cairn.node.HealthReport;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/** Turns a plain-Java {@link HealthReport} into a MicroProfile Health response. */
final class HealthResponses {
    private HealthResponses() {
    }

    static HealthCheckResponse of(String name, HealthReport report) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(name).status(report.up());
        for (Map.Entry<String, Object> entry : report.data().entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Boolean b) {
                builder.withData(entry.getKey(), b);
            } else if (value instanceof Number n) {
                builder.withData(entry.getKey(), n.longValue());
            } else {
                builder.withData(entry.getKey(), String.valueOf(value));
            }
        }
        return builder.build();
    }
}
