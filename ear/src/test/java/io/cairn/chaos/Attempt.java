package io.cairn.chaos;

/**
 * One operation of a workload's client as it began ({@link Observations#begin()}): the phase its outcome
 * counts toward, even if a fault starts or heals while it runs, and when it began, since only an operation
 * that began under a fault shows that the cluster recovered from it.
 */
record Attempt(String phase, long startNanos) {
}
