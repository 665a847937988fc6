package io.cairn.node;

import java.io.Serializable;

/**
 * What an operator set for one server's compute node through the admin API, replicated through
 * Hazelcast and keyed by server name (so it outlives a restart of that server while the cluster
 * runs): a group replacing the configured {@code cairn.cn.group}, and whether it is draining.
 *
 * @param group    the CN group, or null to keep the configured one
 * @param draining whether proxies move the sessions away from it and send it no new ones
 */
record CnSettings(String group, boolean draining) implements Serializable {
    private static final long serialVersionUID = 1L;
}
