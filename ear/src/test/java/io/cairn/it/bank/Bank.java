package io.cairn.it.bank;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The bank's transactions, container-managed ({@code @Transactional}): one persistence unit per data
 * source of the test server (persistence.xml), picked by name.
 */
@ApplicationScoped
public class Bank {
    @PersistenceContext(unitName = "single")
    private EntityManager single;
    @PersistenceContext(unitName = "serverPrepared")
    private EntityManager serverPrepared;
    @PersistenceContext(unitName = "repeatableRead")
    private EntityManager repeatableRead;
    @PersistenceContext(unitName = "cluster")
    private EntityManager cluster;

    /** Where a transfer got to: its statements all ran once {@code flushed} is set; what fails after that is the commit. */
    public static final class Progress {
        volatile boolean flushed;
    }

    /** Opens the accounts in tables the test has just created again: what the shared cache holds is forgotten first. */
    @Transactional
    public void open(String unit, int accounts, long balance) {
        EntityManager em = em(unit);
        em.getEntityManagerFactory().getCache().evictAll();
        for (int i = 0; i < accounts; i++) {
            em.persist(new Account(i, balance));
        }
    }

    /** Moves {@code amount} from account {@code from} to {@code to} and records the transfer, in one transaction. */
    @Transactional
    public void transfer(String unit, long id, long from, long to, long amount, Progress progress) {
        EntityManager em = em(unit);
        Account source = em.find(Account.class, from);
        Account target = em.find(Account.class, to);
        source.add(-amount);
        target.add(amount);
        em.persist(new Transfer(id, from, to, amount));
        em.flush();
        progress.flushed = true;
    }

    /** The isolation level of the unit's connection inside a transaction: as JDBC has it, and as the session reports it. */
    @Transactional
    public String isolation(String unit) throws SQLException {
        EntityManager em = em(unit);
        Object session = em.createNativeQuery("SELECT @@transaction_isolation").getSingleResult();
        Connection connection = em.unwrap(Connection.class);
        return "jdbc=" + jdbcLevel(connection.getTransactionIsolation()) + " session=" + session;
    }

    private static String jdbcLevel(int level) {
        return switch (level) {
            case Connection.TRANSACTION_READ_UNCOMMITTED -> "READ_UNCOMMITTED";
            case Connection.TRANSACTION_READ_COMMITTED -> "READ_COMMITTED";
            case Connection.TRANSACTION_REPEATABLE_READ -> "REPEATABLE_READ";
            case Connection.TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
            default -> String.valueOf(level);
        };
    }

    private EntityManager em(String unit) {
        return switch (unit) {
            case "single" -> single;
            case "serverPrepared" -> serverPrepared;
            case "repeatableRead" -> repeatableRead;
            case "cluster" -> cluster;
            default -> throw new IllegalArgumentException("no persistence unit " + unit);
        };
    }
}
