package io.cairn.txn.backup;

import java.util.regex.Pattern;

/** The names a {@link BackupTarget} accepts: relative paths of plain names, nothing that could leave it. */
final class TargetNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final int MAX_LENGTH = 1024;

    private TargetNames() {
    }

    /** @throws IllegalArgumentException not a plain relative path */
    static String check(String name) {
        if (name == null || name.length() > MAX_LENGTH || !NAME.matcher(name).matches()
                || ("/" + name + "/").contains("/../") || ("/" + name + "/").contains("/./")) {
            throw new IllegalArgumentException("not a name in a backup target: " + name);
        }
        return name;
    }

    /** @throws IllegalArgumentException not empty and not a plain relative path ending in {@code /} */
    static String checkPrefix(String prefix) {
        if (!prefix.isEmpty()) {
            if (!prefix.endsWith("/")) {
                throw new IllegalArgumentException("not a folder in a backup target: " + prefix);
            }
            check(prefix.substring(0, prefix.length() - 1));
        }
        return prefix;
    }
}
