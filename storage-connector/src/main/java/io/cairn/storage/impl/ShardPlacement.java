package io.cairn.storage.impl;

/**
 * Which endpoint holds which shard of a key: shard i lives on endpoint {@code (i + rotation) mod n}, the
 * rotation taken from the key's hash, so that parity (and read load) is spread over all endpoints.
 */
record ShardPlacement(int n, int rotation) {

    static ShardPlacement of(String key, int n) {
        return new ShardPlacement(n, Math.floorMod(key.hashCode(), n));
    }

    /** The endpoint the rotation assigns to shard {@code shard}. */
    int endpointOf(int shard) {
        return (shard + rotation) % n;
    }

    /** The shard the rotation assigns to endpoint {@code endpoint}. */
    int shardOn(int endpoint) {
        return Math.floorMod(endpoint - rotation, n);
    }
}
