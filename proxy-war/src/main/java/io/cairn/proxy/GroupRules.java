package io.cairn.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which CN group a client belongs to: the connection attribute {@code cn_group}, else a
 * {@code ?group=name} suffix of the user name (removed from the name the compute node sees), else a
 * configured user rule ({@code cairn.proxy.user-groups=alice:reporting,bob:etl}), else
 * {@code default}.
 */
final class GroupRules {
    static final String DEFAULT_GROUP = "default";
    static final String ATTRIBUTE = "cn_group";
    private static final String SUFFIX = "?group=";

    /** The user name the compute node sees, and the client's group. */
    record Routing(String user, String group) {
    }

    private final Map<String, String> userGroups;

    private GroupRules(Map<String, String> userGroups) {
        this.userGroups = Map.copyOf(userGroups);
    }

    /**
     * Parses {@code user:group,...}.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    static GroupRules parse(String rules) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : rules.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.lastIndexOf(':');
            if (colon <= 0 || !validGroup(e.substring(colon + 1).trim())) {
                throw new IllegalArgumentException("'" + e + "' is not user:group (group: 1-64 letters, digits, '_', '-')");
            }
            map.put(e.substring(0, colon).trim(), e.substring(colon + 1).trim());
        }
        return new GroupRules(map);
    }

    static boolean validGroup(String group) {
        return group.matches("[A-Za-z0-9_-]{1,64}");
    }

    /** The groups the user rules send clients to. */
    Set<String> targets() {
        return new TreeSet<>(userGroups.values());
    }

    /** Where a client with this user name and these connection attributes goes. */
    Routing route(String user, Map<String, String> attributes) {
        String name = user;
        String fromName = null;
        int suffix = user.indexOf(SUFFIX);
        if (suffix >= 0) {
            name = user.substring(0, suffix);
            fromName = user.substring(suffix + SUFFIX.length());
        }
        String attribute = attributes.get(ATTRIBUTE);
        String group = attribute != null && !attribute.isBlank() ? attribute.trim()
                : fromName != null ? fromName
                : userGroups.getOrDefault(name, DEFAULT_GROUP);
        return new Routing(name, group);
    }
}
