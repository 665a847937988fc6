package io.cairn.storage;

import java.io.Serializable;
import java.util.List;

/**
 * A probe of every endpoint, as {@link ObjectStoreConnection#health()} returns it.
 *
 * @param endpoints one entry per configured endpoint, in configuration order
 * @param required how many endpoints must answer for reads to work (k)
 */
public record StorageHealth(List<EndpointStatus> endpoints, int required) implements Serializable {

    /** One endpoint's answer: {@code error} is {@code null} when it answered. */
    public record EndpointStatus(String endpoint, boolean up, String error) implements Serializable {
    }

    public StorageHealth {
        endpoints = List.copyOf(endpoints);
    }

    /** Endpoints that answered the probe. */
    public int healthyEndpoints() {
        return (int) endpoints.stream().filter(EndpointStatus::up).count();
    }

    /** Readiness: UP when at least {@link #required()} endpoints answered. */
    public boolean isUp() {
        return healthyEndpoints() >= required;
    }
}
