package io.cairn.node;

import java.util.Map;

/**
 * One health answer of one role: up or down, with a few facts that explain it (shown in the
 * MicroProfile Health response). Values must be strings, numbers or booleans.
 */
public record HealthReport(boolean up, Map<String, Object> data) {

    public HealthReport {
        data = Map.copyOf(data);
    }

    public static HealthReport up(Map<String, Object> data) {
        return new HealthReport(true, data);
    }

    public static HealthReport down(Map<String, Object> data) {
        return new HealthReport(false, data);
    }

    public static HealthReport of(boolean up, Map<String, Object> data) {
        return new HealthReport(up, data);
    }
}
