package io.cairn.node;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * What an operator set for one server's compute node through the admin API, replicated through
 * Hazelcast in compact form ({@link Serializer}) and keyed by server name (so it outlives a restart
 * of that server while the cluster runs): a group replacing the configured {@code cairn.cn.group},
 * and whether it is draining.
 *
 * @param group    the CN group, or null to keep the configured one
 * @param draining whether proxies move the sessions away from it and send it no new ones
 */
record CnSettings(String group, boolean draining) {

    /** The compact form: the two fields by name. */
    static final class Serializer implements CompactSerializer<CnSettings> {
        @Override
        public CnSettings read(CompactReader in) {
            return new CnSettings(in.readString("group"), in.readBoolean("draining"));
        }

        @Override
        public void write(CompactWriter out, CnSettings settings) {
            out.writeString("group", settings.group());
            out.writeBoolean("draining", settings.draining());
        }

        @Override
        public String getTypeName() {
            return "cairn.CnSettings";
        }

        @Override
        public Class<CnSettings> getCompactClass() {
            return CnSettings.class;
        }
    }
}
