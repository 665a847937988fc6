package io.cairn.server;

import io.cairn.txn.TransactionService;

/** A transaction node in this JVM as this server's CN sees it: commits go to it directly while it is active. */
public interface ActiveTransactionService {
    /** This TN's service while it is the active one; null otherwise. */
    TransactionService activeService();
}
