package io.cairn.mysql.server;

/** {@link AbstractClientIT} with the mysql driver, options "". */
class ConnectorJTextIT extends AbstractClientIT {
    @Override
    String scheme() {
        return "mysql";
    }

    @Override
    String options() {
        return "";
    }
}
