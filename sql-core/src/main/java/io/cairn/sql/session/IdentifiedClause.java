package io.cairn.sql.session;

import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Credential;
import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How CREATE USER or ALTER USER says an account authenticates: {@code IDENTIFIED BY 'pw' | IDENTIFIED
 * WITH plugin [BY 'pw' | AS 'hash']}, and the credential that is stored for it.
 *
 * @param plugin   the plugin named (null: the default or current one)
 * @param password the password given, or null with a hash
 * @param hash     the stored hash given with AS, or null
 */
record IdentifiedClause(AuthPlugin plugin, String password, String hash) {

    /** The clause at {@code c}, or null when the account has none. */
    static IdentifiedClause parse(TokenCursor c) {
        if (!c.accept("IDENTIFIED")) {
            return null;
        }
        AuthPlugin plugin = null;
        if (c.accept("WITH")) {
            Token p = c.next();
            plugin = AuthPlugin.fromWireName(p.text().toLowerCase(Locale.ROOT));
            if (plugin == null) {
                throw new SqlException(MysqlError.PLUGIN_IS_NOT_LOADED, p.text());
            }
        }
        if (c.accept("BY")) {
            Token pw = c.next();
            if (pw.type() != Token.Type.STRING) {
                throw c.error();
            }
            return new IdentifiedClause(plugin, pw.text(), null);
        }
        if (plugin != null && c.accept("AS")) {
            Token hash = c.next();
            if (hash.type() != Token.Type.STRING) {
                throw c.error();
            }
            return new IdentifiedClause(plugin, null, hash.text());
        }
        if (plugin == null) {
            throw c.error();
        }
        return new IdentifiedClause(plugin, "", null);
    }

    /** The credential to store for {@code clause} (null: no clause, an empty password) with {@code fallback}'s plugin unless it names one. */
    static Credential credential(IdentifiedClause clause, AuthPlugin fallback) {
        if (clause == null) {
            return Credential.forPassword(fallback, "");
        }
        AuthPlugin plugin = clause.plugin() != null ? clause.plugin() : fallback;
        if (clause.hash() == null) {
            return Credential.forPassword(plugin, clause.password());
        }
        // AS 'hash': mysql_native_password's '*' + 40 hex digits (as mysql.user and SHOW CREATE USER hold it)
        String h = clause.hash();
        if (plugin != AuthPlugin.MYSQL_NATIVE_PASSWORD || !(h.isEmpty() || h.matches("\\*[0-9A-Fa-f]{40}"))) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "IDENTIFIED WITH " + plugin.wireName() + " AS this hash");
        }
        return new Credential(plugin, h.isEmpty() ? new byte[0] : HexFormat.of().parseHex(h.substring(1)));
    }
}
