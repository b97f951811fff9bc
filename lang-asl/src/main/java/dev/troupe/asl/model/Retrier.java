package dev.troupe.asl.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One element of a Retry field, with AWS's defaults filled in. */
public record Retrier(
    List<String> errorEquals,
    double intervalSeconds,
    int maxAttempts,
    double backoffRate,
    @Nullable Integer maxDelaySeconds,
    boolean fullJitter) {}
