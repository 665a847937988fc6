package io.cairn.storage.impl;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/** Wraps an endpoint and fails chosen calls; for deterministic failure tests. */
final class FaultyEndpoint implements Endpoint {
    /** Runs before a put; may block or throw. */
    interface PutHook {
        void beforePut(String name) throws IOException;
    }

    private final Endpoint delegate;
    volatile Predicate<String> failPut = name -> false;
    volatile Predicate<String> failGet = name -> false;
    volatile Predicate<String> failDelete = name -> false;
    volatile PutHook hook = name -> { };
    /** Bytes returned by gets (prefixes and ranges), and the most one get returned. */
    final LongAdder bytesGot = new LongAdder();
    final LongAccumulator largestGet = new LongAccumulator(Math::max, 0);

    FaultyEndpoint(Endpoint delegate) {
        this.delegate = delegate;
    }

    void heal() {
        failPut = name -> false;
        failGet = name -> false;
        failDelete = name -> false;
        hook = name -> { };
    }

    void down() {
        failPut = name -> true;
        failGet = name -> true;
        failDelete = name -> true;
    }

    @Override
    public String name() {
        return "faulty:" + delegate.name();
    }

    @Override
    public void put(String name, byte[] data) throws IOException {
        hook.beforePut(name);
        if (failPut.test(name)) {
            throw new IOException("injected put failure: " + name);
        }
        delegate.put(name, data);
    }

    @Override
    public byte[] getPrefix(String name, int maxLength) throws IOException {
        if (failGet.test(name)) {
            throw new IOException("injected get failure: " + name);
        }
        return counted(delegate.getPrefix(name, maxLength));
    }

    @Override
    public byte[] get(String name, long offset, int length) throws IOException {
        if (failGet.test(name)) {
            throw new IOException("injected get failure: " + name);
        }
        return counted(delegate.get(name, offset, length));
    }

    private byte[] counted(byte[] got) {
        bytesGot.add(got.length);
        largestGet.accumulate(got.length);
        return got;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        if (failGet.test(prefix)) {
            throw new IOException("injected list failure");
        }
        return delegate.list(prefix);
    }

    @Override
    public void delete(String name) throws IOException {
        if (failDelete.test(name)) {
            throw new IOException("injected delete failure: " + name);
        }
        delegate.delete(name);
    }

    @Override
    public void ping() throws IOException {
        if (failGet.test("")) {
            throw new IOException("injected ping failure");
        }
        delegate.ping();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
