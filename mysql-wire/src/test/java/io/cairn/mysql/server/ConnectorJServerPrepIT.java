package io.cairn.mysql.server;

/** {@link AbstractClientIT} with the mysql driver, options "useServerPrepStmts=true". */
class ConnectorJServerPrepIT extends AbstractClientIT {
    @Override
    String scheme() {
        return "mysql";
    }

    @Override
    String options() {
        return "useServerPrepStmts=true";
    }
}
