package io.cairn.mysql.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;

/**
 * Switches a connection to TLS when the client's first packet is an SSLRequest (a 32-byte handshake
 * response with CLIENT_SSL). Sits first in the pipeline: it consumes the SSLRequest, tells the
 * {@link ClientConnection} (user event {@link #TLS_STARTED}, so the next handshake response is expected with
 * sequence id 2), inserts Netty's SslHandler behind itself and removes itself; bytes already received
 * after the SSLRequest (the TLS ClientHello) flow into the SslHandler. Any other first packet just removes
 * the upgrader. Used by the compute node's server and by the proxy's client-facing port.
 */
public final class TlsUpgrader {
    /** User event fired when the SSLRequest was consumed. */
    public static final Object TLS_STARTED = new Object() {
        @Override
        public String toString() {
            return "TLS_STARTED";
        }
    };

    private final SslContext context;

    private TlsUpgrader(SslContext context) {
        this.context = context;
    }

    /**
     * @throws IllegalArgumentException naming the key store when it cannot be read
     */
    public static TlsUpgrader fromKeyStore(Path keyStore, char[] password) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return new TlsUpgrader(SslContextBuilder.forServer(kmf).build());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid MySQL server setting tlsKeyStore: " + keyStore + ": " + e, e);
        }
    }

    /** A handler to put first in a new connection's pipeline. */
    public ByteToMessageDecoder newHandler() {
        return new Detector();
    }

    private final class Detector extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (in.readableBytes() < 4) {
                return;
            }
            int length = in.getUnsignedMediumLE(in.readerIndex());
            if (length == 32) {
                if (in.readableBytes() < 36) {
                    return;
                }
                int caps = in.getIntLE(in.readerIndex() + 4);
                if ((caps & Capabilities.SSL) != 0) {
                    in.skipBytes(36);
                    ctx.fireUserEventTriggered(TLS_STARTED);
                    ctx.pipeline().addAfter(ctx.name(), "tls", context.newHandler(ctx.alloc()));
                }
            }
            ctx.pipeline().remove(this);
        }
    }
}
