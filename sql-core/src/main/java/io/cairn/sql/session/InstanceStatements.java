package io.cairn.sql.session;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.frontend.TokenCursor;

/** ALTER INSTANCE, of which Cairn has RELOAD TLS. One use per statement. */
final class InstanceStatements {
    private final Session session;

    InstanceStatements(Session session) {
        this.session = session;
    }

    /**
     * ALTER INSTANCE RELOAD TLS [NO ROLLBACK ON ERROR]: the client ports' key store is read again, for new
     * connections (CONNECTION_ADMIN, 1227). A key store that cannot be read is 3888 and the previous
     * certificate stays in use, also with NO ROLLBACK ON ERROR (where MySQL would turn TLS off).
     */
    QueryResult alter(TokenCursor c) {
        c.next();
        c.next();
        if (!c.acceptAll("RELOAD", "TLS")) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "this ALTER INSTANCE");
        }
        c.acceptAll("NO", "ROLLBACK", "ON", "ERROR");
        c.expectEnd();
        AccountPrivileges p = session.privilegesNow();
        if (!p.hasGlobal(Privilege.CONNECTION_ADMIN)) {
            throw new SqlException(MysqlError.SPECIFIC_ACCESS_DENIED, "CONNECTION_ADMIN");
        }
        SqlEngine.TlsReloader reloader = session.engine().tlsReloader();
        if (reloader == null) {
            throw new SqlException(MysqlError.SSL_LIBRARY_ERROR, "no TLS key store is configured");
        }
        try {
            reloader.reload();
        } catch (IllegalArgumentException e) {
            throw new SqlException(MysqlError.SSL_LIBRARY_ERROR, e.getMessage());
        }
        return QueryResult.ok();
    }
}
