package dev.troupe.asl.model;

import org.jspecify.annotations.Nullable;

/** A checked state machine definition, ready to interpret. */
public record StateMachine(Branch root, @Nullable Integer timeoutSeconds) {}
