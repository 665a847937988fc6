package io.cairn.it.bank;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A bank account; {@code @Version} makes every update check that nobody changed the row since it was read. */
@Entity
@Table(name = "account")
public class Account {
    @Id
    private long id;
    private long balance;
    @Version
    private long version;

    protected Account() {
    }

    public Account(long id, long balance) {
        this.id = id;
        this.balance = balance;
    }

    public long getId() {
        return id;
    }

    public long getBalance() {
        return balance;
    }

    public void add(long amount) {
        balance += amount;
    }
}
