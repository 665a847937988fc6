package io.cairn.server;

import io.cairn.node.RoleService;

/**
 * Makes one role's service from what the server shares. The modules that hold the TN, the CN and the proxy
 * each give the {@link ServerAssembly} theirs when the application starts; the log's is built in.
 */
@FunctionalInterface
public interface RoleFactory {
    /** @throws io.cairn.node.ConfigException naming the setting when the role's configuration is wrong */
    RoleService create(ServerContext context);
}
