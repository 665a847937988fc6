package io.cairn.storage.impl;

import io.cairn.storage.AbstractObjectStoreContractTest;
import io.cairn.storage.ObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded default: one local directory, no parity (1+0). */
class SingleDirStoreContractTest extends AbstractObjectStoreContractTest {
    @TempDir
    static Path root;
    private ErasureCodedStore ec;

    @Override
    protected ObjectStore open() throws Exception {
        ec = TestStores.dirs(root, 1, 0);
        return ec;
    }

    @Override
    protected void closeStore() {
        ec.close();
    }
}
