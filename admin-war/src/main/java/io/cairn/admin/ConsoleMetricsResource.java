package io.cairn.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Gauge;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Snapshot;
import org.eclipse.microprofile.metrics.Timer;

/**
 * What the console's charts draw, read from this server's metrics (the ones {@code /metrics} shows): statements
 * so far, commit latency percentiles and the CN's apply lag. The console polls it and keeps the history itself;
 * a value this server does not have (no CN role, no commit yet) is null.
 */
@Path("console")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleMetricsResource {
    @Inject
    MetricRegistry registry;

    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    @Path("metrics")
    public JsonObject metrics() {
        long statements = 0;
        for (Counter c : registry.getCounters((id, m) -> id.getName().equals("cairn.sql.statements")).values()) {
            statements += c.getCount();
        }
        JsonObjectBuilder out = Json.createObjectBuilder().add("statements", statements);
        Timer committed = registry.getTimers((id, m) -> id.getName().equals("cairn.commit.latency")
                && "committed".equals(id.getTags().get("outcome"))).values().stream().findFirst().orElse(null);
        Snapshot s = committed == null || committed.getCount() == 0 ? null : committed.getSnapshot();
        millis(out, "commitP50Millis", s, 0.5);
        millis(out, "commitP99Millis", s, 0.99);
        Map<MetricID, Gauge> lag = registry.getGauges((id, m) -> id.getName().equals("cairn.cn.apply.lag"));
        if (lag.isEmpty()) {
            out.addNull("applyLag");
        } else {
            out.add("applyLag", lag.values().iterator().next().getValue().longValue());
        }
        return out.build();
    }

    /** A percentile of a timer's recent values (nanoseconds) in milliseconds, or null. */
    private static void millis(JsonObjectBuilder out, String name, Snapshot s, double percentile) {
        if (s != null) {
            for (Snapshot.PercentileValue p : s.percentileValues()) {
                if (Math.abs(p.getPercentile() - percentile) < 1e-9) {
                    out.add(name, p.getValue() / 1e6);
                    return;
                }
            }
        }
        out.addNull(name);
    }
}
