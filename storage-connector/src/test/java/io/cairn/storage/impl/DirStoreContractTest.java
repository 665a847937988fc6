package io.cairn.storage.impl;

import io.cairn.storage.AbstractObjectStoreContractTest;
import io.cairn.storage.ObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on local directories: 4+2 over six directories. */
class DirStoreContractTest extends AbstractObjectStoreContractTest {
    @TempDir
    static Path root;
    private ErasureCodedStore ec;

    @Override
    protected ObjectStore open() throws Exception {
        ec = TestStores.dirs(root, 4, 2);
        return ec;
    }

    @Override
    protected void closeStore() {
        ec.close();
    }
}
