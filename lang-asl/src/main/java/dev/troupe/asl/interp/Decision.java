package dev.troupe.asl.interp;

import java.util.List;

/** What the interpreter decided for one command: records to store, then effects to carry out. */
public record Decision(List<Recorded> records, List<Effect> effects) {}
