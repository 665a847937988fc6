package io.cairn.admin;

import io.cairn.txn.backup.BackupJobs;
import io.cairn.txn.backup.BackupProgress;
import io.cairn.txn.backup.BackupPruner;
import io.cairn.txn.backup.BackupRepository;
import io.cairn.txn.backup.BackupSet;
import io.cairn.txn.backup.BackupVerifier;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Backups, under {@code /api/backups} (listing and the job's state: both admin roles; taking, verifying and
 * pruning: operator). A target is a folder on this server's file system, or an S3 address
 * ({@code s3+http://HOST:PORT/BUCKET/PREFIX}, {@code s3+https://…}, {@code s3://BUCKET/PREFIX}) with
 * {@code credentials=FILE}, the path of its credentials file on this server (the keys never travel in a request):
 * <ul>
 *   <li>{@code POST ?target=T[&credentials=FILE]}: starts a backup (202 with the job), 409 while one runs;</li>
 *   <li>{@code GET job}: the running or last backup with its progress (objects and bytes), or {@code state: none};</li>
 *   <li>{@code GET ?target=T[&credentials=FILE]}: the complete backups there, oldest first;</li>
 *   <li>{@code POST verify?target=T&id=ID[&credentials=FILE]}: re-reads every file of a backup against its checksums;</li>
 *   <li>{@code POST prune?target=T&keep=N[&credentials=FILE]}: keeps the newest N backups, removes the rest and their
 *   objects.</li>
 * </ul>
 * A bad target, credentials file or id is 400; on a server without a log peer, taking a backup is 404.
 */
@Path("backups")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class BackupResource {
    @Inject
    BackupService backups;

    /** A backup job as the API shows it. */
    public record JobView(String state, String target, String id, String error, BackupProgress.Snapshot progress) {
        static JobView of(BackupJobs.Job job) {
            return job == null ? new JobView("none", null, null, null, null)
                    : new JobView(job.state(), job.target(), job.id(), job.error(), job.progress());
        }
    }

    /** A backup as the list shows it. */
    public record SetView(String id, String created, String commitTime, long commitTs, int objects, long bytes,
            long commits) {
        static SetView of(BackupSet set) {
            return new SetView(set.id(), set.created(), set.commitTime(), set.commitTs(), set.objects().size(),
                    set.totalBytes(), set.commits());
        }
    }

    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    public Response create(@QueryParam("target") String target, @QueryParam("credentials") String credentials) {
        try {
            return Response.accepted(JobView.of(backups.jobs().start(target, credentials))).build();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ClientErrorException(e.getMessage(), Response.Status.CONFLICT);
        }
    }

    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    @Path("job")
    public JobView job() {
        return JobView.of(backups.jobs().current());
    }

    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    public List<SetView> list(@QueryParam("target") String target, @QueryParam("credentials") String credentials) {
        try (BackupRepository repository = repository(target, credentials)) {
            return repository.sets().stream().map(SetView::of).toList();
        }
    }

    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("verify")
    public BackupVerifier.Report verify(@QueryParam("target") String target, @QueryParam("id") String id,
            @QueryParam("credentials") String credentials) {
        try (BackupRepository repository = repository(target, credentials)) {
            return new BackupVerifier(repository).verify(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("prune")
    public BackupPruner.Report prune(@QueryParam("target") String target, @QueryParam("keep") int keep,
            @QueryParam("credentials") String credentials) {
        try (BackupRepository repository = repository(target, credentials)) {
            return new BackupPruner(repository).prune(keep);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static BackupRepository repository(String target, String credentials) {
        try {
            return BackupRepository.existing(target, credentials);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
