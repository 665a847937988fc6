package io.cairn.node;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.List;

/**
 * The part of a member's description that changes while it runs; replicated through Hazelcast in
 * compact form ({@link Serializer}), never with Java serialization.
 */
record MemberStatus(String state, String cnGroup, List<String> readyRoles) {
    MemberStatus {
        readyRoles = List.copyOf(readyRoles);
    }

    /** The compact form: the three fields by name. */
    static final class Serializer implements CompactSerializer<MemberStatus> {
        @Override
        public MemberStatus read(CompactReader in) {
            String[] ready = in.readArrayOfString("readyRoles");
            return new MemberStatus(in.readString("state"), in.readString("cnGroup"), ready == null ? List.of() : List.of(ready));
        }

        @Override
        public void write(CompactWriter out, MemberStatus status) {
            out.writeString("state", status.state());
            out.writeString("cnGroup", status.cnGroup());
            out.writeArrayOfString("readyRoles", status.readyRoles().toArray(String[]::new));
        }

        @Override
        public String getTypeName() {
            return "cairn.MemberStatus";
        }

        @Override
        public Class<MemberStatus> getCompactClass() {
            return MemberStatus.class;
        }
    }
}
