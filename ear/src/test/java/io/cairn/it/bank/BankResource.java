package io.cairn.it.bank;

import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;

/**
 * The bank over HTTP, as the application had it. A transfer's answer starts with its outcome:
 * {@code committed} (200); {@code refused} — certainly not committed: an optimistic lock failure or a write
 * conflict (409), or any error before the commit (500); {@code unknown} — the commit itself failed without
 * saying it was refused (503: the connection may have broken after the database committed).
 */
@Path("{unit}")
@Produces(MediaType.TEXT_PLAIN)
public class BankResource {
    @Inject
    Bank bank;

    @POST
    @Path("accounts")
    public Response open(@PathParam("unit") String unit, @QueryParam("count") int count,
            @QueryParam("balance") long balance) {
        bank.open(unit, count, balance);
        return Response.ok("opened " + count).build();
    }

    @POST
    @Path("transfers/{id}")
    public Response transfer(@PathParam("unit") String unit, @PathParam("id") long id, @QueryParam("from") long from,
            @QueryParam("to") long to, @QueryParam("amount") long amount) {
        Bank.Progress progress = new Bank.Progress();
        try {
            bank.transfer(unit, id, from, to, amount, progress);
            return Response.ok("committed").build();
        } catch (RuntimeException e) {
            if (find(e, OptimisticLockException.class) != null) {
                return answer(409, "refused: optimistic lock", e);
            }
            if (!progress.flushed) {
                return answer(500, "refused: before commit", e);
            }
            SQLException sql = find(e, SQLException.class);
            if (sql != null && (sql.getErrorCode() == 1213 || "40001".equals(sql.getSQLState()))) {
                return answer(409, "refused: write conflict at commit", e);
            }
            return answer(503, "unknown: the commit failed", e);
        }
    }

    @GET
    @Path("isolation")
    public String isolation(@PathParam("unit") String unit) throws SQLException {
        return bank.isolation(unit);
    }

    private static Response answer(int status, String outcome, Throwable e) {
        StringBuilder chain = new StringBuilder(outcome);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chain.append(" | ").append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql) {
                chain.append(" ").append(sql.getErrorCode()).append("/").append(sql.getSQLState());
            }
            chain.append(": ").append(String.valueOf(t.getMessage()).lines().findFirst().orElse(""));
        }
        return Response.status(status).entity(chain.toString()).build();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
