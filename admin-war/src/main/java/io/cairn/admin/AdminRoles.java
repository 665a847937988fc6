package io.cairn.admin;

/**
 * The admin API's two roles. Status calls (GET) allow both; every call that changes state allows only
 * {@link #OPERATOR}. Each resource method names its roles with {@code @RolesAllowed}; {@code web.xml}
 * declares them and demands one of them for every {@code /api} path except {@code /api/internal/…}.
 */
public final class AdminRoles {
    /** May read the cluster's state: members, sessions, the log group, storage health. */
    public static final String READER = "reader";
    /** May also change it: drain, CN groups, leadership transfer, storage heal and self-test. */
    public static final String OPERATOR = "operator";

    private AdminRoles() {
    }
}
