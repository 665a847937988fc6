package io.cairn.node;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.List;

/**
 * The part of a member's description that changes while it runs; replicated through Hazelcast in
 * compact form ({@link Serializer}), never with Java serialization.
 *
 * @param tn its transaction node's status (its {@code server} left null: the member's name says it), or null
 *           on a server without one or before it has started
 */
record MemberStatus(String state, String cnGroup, List<String> readyRoles, TransactionNodeStatus tn) {
    MemberStatus {
        readyRoles = List.copyOf(readyRoles);
    }

    /**
     * The compact form: the fields by name, the TN's flat ({@code tnState} null: none). A status written by a
     * server of an older version has no TN fields: read as none.
     */
    static final class Serializer implements CompactSerializer<MemberStatus> {
        @Override
        public MemberStatus read(CompactReader in) {
            String[] ready = in.readArrayOfString("readyRoles");
            TransactionNodeStatus tn = null;
            if (in.getFieldKind("tnState") == FieldKind.STRING) {
                String tnState = in.readString("tnState");
                if (tnState != null) {
                    tn = new TransactionNodeStatus(null, tnState, in.readInt64("tnEpoch"), in.readString("tnLeaseHolder"),
                            in.readInt64("tnLeaseAgeMillis"), in.readInt64("tnLeaseMillis"));
                }
            }
            return new MemberStatus(in.readString("state"), in.readString("cnGroup"),
                    ready == null ? List.of() : List.of(ready), tn);
        }

        @Override
        public void write(CompactWriter out, MemberStatus status) {
            out.writeString("state", status.state());
            out.writeString("cnGroup", status.cnGroup());
            out.writeArrayOfString("readyRoles", status.readyRoles().toArray(String[]::new));
            TransactionNodeStatus tn = status.tn();
            out.writeString("tnState", tn == null ? null : tn.state());
            out.writeInt64("tnEpoch", tn == null ? 0 : tn.epoch());
            out.writeString("tnLeaseHolder", tn == null ? null : tn.leaseHolder());
            out.writeInt64("tnLeaseAgeMillis", tn == null ? -1 : tn.leaseAgeMillis());
            out.writeInt64("tnLeaseMillis", tn == null ? 0 : tn.leaseMillis());
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
