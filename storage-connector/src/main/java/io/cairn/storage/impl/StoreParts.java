package io.cairn.storage.impl;

import java.time.Clock;

/**
 * What the writer, the reader and the healer of an {@link ErasureCodedStore} share: its configuration, the
 * fan-out to the endpoints, the metadata quorum, the per-key locks, the Reed-Solomon codec and the clock.
 */
record StoreParts(StoreConfig config, FanOut fanOut, MetaQuorum quorum, KeyLocks locks, ReedSolomon codec, Clock clock) {
    /** Data shards per stripe. */
    int k() {
        return config.dataShards();
    }

    /** Parity shards per stripe. */
    int m() {
        return config.parityShards();
    }

    /** Shards per stripe, one per endpoint. */
    int n() {
        return k() + m();
    }
}
