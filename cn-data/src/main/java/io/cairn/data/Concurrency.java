package io.cairn.data;

/** How a transaction keeps concurrent writers apart. */
public enum Concurrency {
    /**
     * InnoDB's way, the default: a statement that writes rows or reads them {@code FOR UPDATE/SHARE}
     * reads their latest committed version and locks them, waiting for other holders; the commit
     * then cannot conflict.
     */
    PESSIMISTIC,
    /** Statements read the snapshot and take no locks; the first of two transactions writing a row to commit wins (1213 for the other). */
    OPTIMISTIC
}
