package io.cairn.data;

/** The isolation levels a transaction can run at. */
public enum Isolation {
    /** One snapshot for the whole transaction: snapshot isolation, MySQL's default level's name. */
    REPEATABLE_READ,
    /** A fresh snapshot for every statement. */
    READ_COMMITTED
}
