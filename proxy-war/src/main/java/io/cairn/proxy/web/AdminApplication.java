package io.cairn.proxy.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The admin REST API, under {@code /api}; every call needs the admin credentials ({@link AdminAuthFilter}). */
@ApplicationPath("/api")
public class AdminApplication extends Application {
}
