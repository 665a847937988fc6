package io.cairn.storage.impl;

import java.io.IOException;

/** The endpoint answered: the name does not exist there. Not a failure of the endpoint; never retried. */
public class ShardNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public ShardNotFoundException(String endpoint, String name) {
        super(endpoint + ": no such object: " + name);
    }
}
