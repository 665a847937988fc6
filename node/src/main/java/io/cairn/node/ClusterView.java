package io.cairn.node;

import java.util.List;

/** Who is in the cluster now, as this server sees it; empty until this server has joined. */
@FunctionalInterface
public interface ClusterView {
    List<MemberInfo> members();

    /** The members whose {@code role} readiness check is UP, as they last published it (≤ 1 s old). */
    default List<MemberInfo> readyMembers(Role role) {
        return members().stream().filter(m -> m.readyRoles().contains(role.configName())).toList();
    }
}
