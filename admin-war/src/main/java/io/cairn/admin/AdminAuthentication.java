package io.cairn.admin;

import io.cairn.node.ConfigException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * HTTP Basic authentication of the admin API against {@link AdminAccounts}, as a Jakarta Security
 * mechanism: Liberty ({@code appSecurity-5.0}) calls it for every request of this web module and enforces
 * {@code web.xml}'s constraints and the resources' {@code @RolesAllowed} with the role it reports (as the
 * caller's group; a group names the role of the same name). Only protected paths are looked at:
 * {@code /api/internal/…} is not ({@link ClusterAuthFilter} guards it).
 *
 * <p>On a server with an HTTPS port ({@code cairn.https.port}) the admin API answers only there: a call over
 * plain HTTP gets 403 naming the port, before its credentials are looked at. A refused call (that, or no,
 * malformed or wrong credentials: 401 with a {@code Basic} challenge) is written to the {@link AuditLog}
 * here, since it never reaches the application. Without any configured account every admin call gets 503
 * naming {@code cairn.admin.password}. Bad account settings are logged as {@code CAIRN0001E} naming the
 * property (which makes {@code bin/cairn} stop the server), and the admin API answers 503.
 */
@ApplicationScoped
public class AdminAuthentication implements HttpAuthenticationMechanism {
    static final String REALM = "cairn-admin";
    static final String HTTPS_PORT = "cairn.https.port";
    private static final int MAX_HEADER = 1024;
    private static final Logger LOG = Logger.getLogger(AdminAuthentication.class.getName());

    @Inject
    Config config;

    @Inject
    AuditLog audit;

    private AdminAccounts accounts;
    private ConfigException misconfigured;
    private int httpsPort;

    @PostConstruct
    void init() {
        httpsPort = config.getOptionalValue(HTTPS_PORT, Integer.class).orElse(-1);
        try {
            accounts = AdminAccounts.from(key -> config.getOptionalValue(key, String.class));
        } catch (ConfigException e) {
            misconfigured = e;
            LOG.severe("CAIRN0001E: Bad configuration, the admin API refuses every call: " + e.getMessage());
        }
    }

    /** Observing the start makes the container create this bean then: a bad setting shows at once, not at the first call. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        if (!context.isProtected()) {
            return context.doNothing();
        }
        long start = System.nanoTime();
        if (httpsPort > 0 && !request.isSecure()) {
            return refuse(request, response, context, null, HttpServletResponse.SC_FORBIDDEN,
                    "the admin API answers only over HTTPS, on port " + httpsPort, start);
        }
        if (accounts == null || !accounts.any()) {
            String why = accounts == null ? misconfigured.getMessage()
                    : "admin API disabled: set " + AdminAccounts.PASSWORD;
            return refuse(request, response, context, null, HttpServletResponse.SC_SERVICE_UNAVAILABLE, why, start);
        }
        String header = request.getHeader("Authorization");
        if (header == null || header.length() > MAX_HEADER || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return refuse(request, response, context, null, HttpServletResponse.SC_UNAUTHORIZED, null, start);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return refuse(request, response, context, null, HttpServletResponse.SC_UNAUTHORIZED, null, start);
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        if (colon < 0) {
            return refuse(request, response, context, user, HttpServletResponse.SC_UNAUTHORIZED, null, start);
        }
        return accounts.roleOf(user, decoded.substring(colon + 1))
                .map(role -> context.notifyContainerAboutLogin(user, Set.of(role)))
                .orElseGet(() -> refuse(request, response, context, user, HttpServletResponse.SC_UNAUTHORIZED,
                        null, start));
    }

    private AuthenticationStatus refuse(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context, String claimedUser, int status, String message, long start) {
        audit.record(new AuditEntry(Instant.now(), claimedUser, request.getRemoteAddr(), request.getMethod(),
                request.getRequestURI(), request.getQueryString(), null, status,
                (System.nanoTime() - start) / 1_000_000));
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            return context.responseUnauthorized();
        }
        try {
            response.sendError(status, message);
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
        return AuthenticationStatus.SEND_FAILURE;
    }
}
