package io.cairn.node;

/** The three MicroProfile Health probe kinds. */
public enum Probe {
    /** Has the component finished starting? (Kubernetes startup probe) */
    STARTED,
    /** Is it still working, or should the server be restarted? (liveness probe) */
    LIVE,
    /** Should it get traffic now? (readiness probe) */
    READY
}
