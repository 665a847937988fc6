package io.cairn.node;

/** A configuration value that keeps the server from starting; the message names the property. */
public class ConfigException extends RuntimeException {
    private final String property;

    public ConfigException(String property, String problem) {
        super(property + ": " + problem);
        this.property = property;
    }

    /** The configuration property at fault, e.g. {@code cairn.roles}. */
    public String property() {
        return property;
    }
}
