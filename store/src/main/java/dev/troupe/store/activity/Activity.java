package dev.troupe.store.activity;

import java.time.Instant;

/** An activity as DescribeActivity shows it. */
public record Activity(String activityArn, String name, Instant creationDate) {}
