package dev.troupe.asl.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One element of a Catch field; Output and Assign are JSONata and variables features. */
public record Catcher(
    List<String> errorEquals,
    @Nullable JsonNode resultPath,
    String next,
    @Nullable JsonNode output,
    @Nullable JsonNode assign) {}
