package io.cairn.sql.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lines of SHOW GRANTS in MySQL 8.0's format: the global static privileges ({@code USAGE} for
 * none, {@code ALL PRIVILEGES} for all), the dynamic ones on a line of their own, then one line per
 * database and per table, a table's column privileges folded into its line
 * ({@code GRANT SELECT (`a`), INSERT ON `db`.`t` TO `u`@`%`}), each with {@code WITH GRANT OPTION}
 * when it holds that. Stateless.
 */
public final class ShowGrants {
    private static final long DYNAMIC;

    static {
        long d = 0;
        for (Privilege p : Privilege.values()) {
            if (p.level() == Privilege.Level.DYNAMIC) {
                d |= p.bit();
            }
        }
        DYNAMIC = d;
    }

    private ShowGrants() {
    }

    public static List<String> lines(Account account, List<Grant> grants) {
        String to = " TO " + account.backquoted();
        long global = account.isRoot() ? Privilege.EVERYTHING : 0;
        Map<String, Grant> databases = new TreeMap<>();
        Map<String, long[]> tables = new TreeMap<>();
        Map<String, Grant> tableNames = new TreeMap<>();
        Map<String, Map<Privilege, List<String>>> columns = new TreeMap<>();
        for (Grant g : grants) {
            switch (g.level()) {
                case GLOBAL -> global |= g.mask();
                case DATABASE -> databases.merge(g.objectKey(), g, (a, b) -> a.withMask(a.mask() | b.mask()));
                case TABLE -> {
                    String k = g.objectKey();
                    tables.computeIfAbsent(k, x -> new long[1])[0] |= g.mask();
                    tableNames.putIfAbsent(k, g);
                }
                case COLUMN -> {
                    String k = Grant.objectKey(g.database(), g.table(), null);
                    tables.computeIfAbsent(k, x -> new long[1]);
                    tableNames.putIfAbsent(k, g);
                    for (Privilege p : Privilege.of(g.mask())) {
                        columns.computeIfAbsent(k, x -> new LinkedHashMap<>())
                                .computeIfAbsent(p, x -> new ArrayList<>()).add("`" + quote(g.column()) + "`");
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        long statics = global & ~DYNAMIC & ~Privilege.GRANT_OPTION.bit();
        long allStatics = Privilege.ALL_GLOBAL & ~DYNAMIC;
        out.add("GRANT " + (statics == 0 ? "USAGE" : statics == allStatics ? "ALL PRIVILEGES" : list(statics))
                + " ON *.*" + to + withGrantOption(global));
        if ((global & DYNAMIC) != 0) {
            List<String> names = new ArrayList<>();
            Privilege.of(global & DYNAMIC).forEach(p -> names.add(p.sqlName()));
            out.add("GRANT " + String.join(",", names) + " ON *.*" + to + withGrantOption(global));
        }
        for (Grant g : databases.values()) {
            long m = g.mask() & ~Privilege.GRANT_OPTION.bit();
            out.add("GRANT " + (m == 0 ? "USAGE" : (m & Privilege.ALL_DATABASE) == Privilege.ALL_DATABASE ? "ALL PRIVILEGES" : list(m))
                    + " ON `" + quote(g.database()) + "`.*" + to + withGrantOption(g.mask()));
        }
        for (Map.Entry<String, long[]> e : tables.entrySet()) {
            long m = e.getValue()[0] & ~Privilege.GRANT_OPTION.bit();
            Map<Privilege, List<String>> cols = columns.getOrDefault(e.getKey(), Map.of());
            String what;
            if (cols.isEmpty() && (m & Privilege.ALL_TABLE) == Privilege.ALL_TABLE) {
                what = "ALL PRIVILEGES";
            } else {
                List<String> parts = new ArrayList<>();
                for (Privilege p : Privilege.values()) {
                    if (p.in(m)) {
                        parts.add(p.sqlName());
                    } else if (cols.containsKey(p)) {
                        parts.add(p.sqlName() + " (" + String.join(", ", cols.get(p)) + ")");
                    }
                }
                what = parts.isEmpty() ? "USAGE" : String.join(", ", parts);
            }
            Grant g = tableNames.get(e.getKey());
            out.add("GRANT " + what + " ON `" + quote(g.database()) + "`.`" + quote(g.table()) + "`" + to
                    + withGrantOption(e.getValue()[0]));
        }
        return out;
    }

    private static String list(long mask) {
        List<String> names = new ArrayList<>();
        Privilege.of(mask & ~Privilege.GRANT_OPTION.bit() & ~DYNAMIC).forEach(p -> names.add(p.sqlName()));
        return String.join(", ", names);
    }

    private static String withGrantOption(long mask) {
        return Privilege.GRANT_OPTION.in(mask) ? " WITH GRANT OPTION" : "";
    }

    private static String quote(String name) {
        return name.replace("`", "``");
    }
}
