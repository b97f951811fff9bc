package dev.troupe.asl.model;

import org.jspecify.annotations.Nullable;

/**
 * A checked state machine definition, ready to interpret.
 *
 * @param root the top-level states
 * @param timeoutSeconds the execution's TimeoutSeconds, if any
 * @param jsonata whether JSONata is the machine's query language (states may say otherwise)
 */
public record StateMachine(Branch root, @Nullable Integer timeoutSeconds, boolean jsonata) {}
