package io.cairn.mysql.server;

/** {@link AbstractClientIT} with the mariadb driver, options "". */
class MariaDbTextIT extends AbstractClientIT {
    @Override
    String scheme() {
        return "mariadb";
    }

    @Override
    String options() {
        return "";
    }
}
