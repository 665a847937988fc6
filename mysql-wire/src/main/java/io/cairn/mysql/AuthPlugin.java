package io.cairn.mysql;

/** The authentication plugins the wire layer speaks. */
public enum AuthPlugin {
    /** Scramble with SHA-1; the server stores SHA1(SHA1(password)). */
    MYSQL_NATIVE_PASSWORD("mysql_native_password"),
    /**
     * Scramble with SHA-256; the server stores SHA256(SHA256(password)) and always answers with fast-auth
     * success or failure, so clients need neither TLS nor RSA key retrieval.
     */
    CACHING_SHA2_PASSWORD("caching_sha2_password");

    private final String wireName;

    AuthPlugin(String wireName) {
        this.wireName = wireName;
    }

    /** The plugin name used in the handshake. */
    public String wireName() {
        return wireName;
    }

    /** The plugin with this wire name, or null. */
    public static AuthPlugin fromWireName(String name) {
        for (AuthPlugin p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
