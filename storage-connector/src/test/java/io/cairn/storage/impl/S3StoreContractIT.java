package io.cairn.storage.impl;

import io.cairn.storage.AbstractObjectStoreContractTest;
import io.cairn.storage.ObjectStore;
import io.cairn.storage.testing.S3Endpoints;

/** The contract on six S3Proxy endpoints with 4+2 coding. */
class S3StoreContractIT extends AbstractObjectStoreContractTest {
    private S3Endpoints s3;
    private ErasureCodedStore ec;

    @Override
    protected ObjectStore open() {
        s3 = S3Endpoints.builder().count(6).build();
        ec = TestStores.s3(s3, 4, 2);
        return ec;
    }

    @Override
    protected void closeStore() {
        try {
            if (ec != null) {
                ec.close();
            }
        } finally {
            s3.close();
        }
    }
}
