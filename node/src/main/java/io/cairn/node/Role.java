package io.cairn.node;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The parts of Cairn a server can run; {@code cairn.roles} picks a subset. */
public enum Role {
    PROXY, CN, TN, LOG;

    /** The name used in configuration and in health check names: {@code proxy}, {@code cn}, {@code tn}, {@code log}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a comma-separated role list such as {@code "proxy,cn"}.
     *
     * @throws ConfigException naming {@code property} when the list is empty or names an unknown role
     */
    public static Set<Role> parseList(String property, String value) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : value.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            roles.add(parse(property, name));
        }
        if (roles.isEmpty()) {
            throw new ConfigException(property, "must name at least one of proxy,cn,tn,log");
        }
        return roles;
    }

    private static Role parse(String property, String name) {
        for (Role role : values()) {
            if (role.configName().equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw new ConfigException(property, "unknown role '" + name + "' (allowed: proxy,cn,tn,log)");
    }
}
