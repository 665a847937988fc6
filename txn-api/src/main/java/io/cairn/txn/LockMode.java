package io.cairn.txn;

/** How a row lock is held: shared locks ({@code FOR SHARE}) go together, an exclusive one (a write, {@code FOR UPDATE}) goes alone. */
public enum LockMode {
    SHARED,
    EXCLUSIVE;

    /** Whether a lock in this mode and one in {@code other}, held by two transactions, can coexist. */
    public boolean compatibleWith(LockMode other) {
        return this == SHARED && other == SHARED;
    }
}
