package io.cairn.mysql.server;

/** {@link AbstractClientIT} with the mariadb driver, options "useServerPrepStmts=true". */
class MariaDbServerPrepIT extends AbstractClientIT {
    @Override
    String scheme() {
        return "mariadb";
    }

    @Override
    String options() {
        return "useServerPrepStmts=true";
    }
}
