package dev.troupe.runtime.bucket;

import java.time.Instant;

/** One object of a listing, as S3's listObjectsV2 describes it. */
public record ObjectEntry(String key, long size, String etag, Instant lastModified) {}
