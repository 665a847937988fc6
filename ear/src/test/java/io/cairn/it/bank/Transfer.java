package io.cairn.it.bank;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One committed transfer, written in the transaction that moves the money; its id is the client's. */
@Entity
@Table(name = "transfer")
public class Transfer {
    @Id
    private long id;
    private long src;
    private long dst;
    private long amount;

    protected Transfer() {
    }

    public Transfer(long id, long src, long dst, long amount) {
        this.id = id;
        this.src = src;
        this.dst = dst;
        this.amount = amount;
    }
}
