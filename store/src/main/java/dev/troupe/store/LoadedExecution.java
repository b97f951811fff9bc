package dev.troupe.store;

/**
 * An execution and its snapshot read together ({@link ExecutionStore#load}): the snapshot's version
 * is the record's.
 */
public record LoadedExecution(ExecutionRecord execution, Snapshot snapshot) {}
