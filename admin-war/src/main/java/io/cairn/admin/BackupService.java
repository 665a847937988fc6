package io.cairn.admin;

import io.cairn.txn.backup.BackupJobs;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;

/** This server's {@link BackupJobs}: backups read the checkpoints through the storage connector and the log from this server's peer. */
@ApplicationScoped
public class BackupService {
    @Inject
    StorageAccess storage;

    @Inject
    NodeBootstrap bootstrap;

    private BackupJobs jobs;

    synchronized BackupJobs jobs() {
        if (jobs == null) {
            jobs = new BackupJobs(storage::checkpointStore, () -> bootstrap.log()
                    .orElseThrow(() -> new NotFoundException("this server runs no log peer: take backups on a log server"))
                    .logService());
        }
        return jobs;
    }

    @PreDestroy
    synchronized void stop() {
        if (jobs != null) {
            jobs.close();
        }
    }
}
