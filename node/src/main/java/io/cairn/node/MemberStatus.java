package io.cairn.node;

import java.io.Serializable;
import java.util.List;

/** The part of a member's description that changes while it runs; replicated through Hazelcast. */
record MemberStatus(String state, String cnGroup, List<String> readyRoles) implements Serializable {
    private static final long serialVersionUID = 1L;

    MemberStatus {
        readyRoles = List.copyOf(readyRoles);
    }
}
