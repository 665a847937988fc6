package io.cairn.node;

/**
 * The running part of one role on this server (a log peer, a transaction node, a compute node, a
 * proxy). {@link Node} starts the services of the active roles in role order on a background
 * thread, tracks their lifecycle, and turns it into the MicroProfile Health checks.
 *
 * <p>Threading: {@link #start()} and {@link #stop()} are called once each, from the node's
 * lifecycle thread. {@link #readiness()} and {@link #liveness()} are called from HTTP threads at
 * any time, also before {@code start} returns and after {@code stop}; they must not block for
 * long (a health probe waits on them).
 */
public interface RoleService {

    Role role();

    /**
     * Brings the role up. May block until the role can serve (for example until a log peer has
     * joined its group) but must give up with an exception rather than wait forever. An exception
     * marks the role FAILED: its liveness check goes DOWN so that an orchestrator restarts the
     * server.
     */
    void start() throws Exception;

    /** Releases sockets, threads and files. Idempotent; never throws. */
    void stop();

    /** Whether the role can take work now; checked only once {@link #start()} has returned. */
    HealthReport readiness();

    /** Whether the role's machinery is still working (threads alive, not wedged). */
    HealthReport liveness();
}
