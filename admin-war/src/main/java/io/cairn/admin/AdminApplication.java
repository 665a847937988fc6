package io.cairn.admin;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The admin REST API, under {@code /api}: every call but {@code /api/internal/…} needs an admin account
 * ({@link AdminAuthentication}) with a role its method allows ({@link AdminRoles}); calls that change state
 * and refused calls are audited ({@link AuditFilter}).
 */
@ApplicationPath("/api")
public class AdminApplication extends Application {
}
