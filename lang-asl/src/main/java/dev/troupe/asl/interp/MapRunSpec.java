package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.model.Branch;
import org.jspecify.annotations.Nullable;

/**
 * Everything the shell needs to run a Distributed Map's Map Run, with every path, intrinsic and
 * JSONata expression of the Map state already evaluated by the interpreter.
 *
 * @param mapRunArn the Map Run's ARN
 * @param stateName the Map state's name
 * @param label the Map Run's label (the Label field, else the state's name)
 * @param executionType STANDARD or EXPRESS: the type of the child executions
 * @param processor the states each child execution runs
 * @param jsonata whether the child executions default to JSONata
 * @param items the items when they come from the state input (no ItemReader), else null
 * @param reader the ItemReader with its Parameters (or Arguments) evaluated into {@code Parameters}
 *     and MaxItemsPath resolved into {@code ReaderConfig.MaxItems}; null when absent
 * @param batcher the ItemBatcher with its *Path fields resolved and BatchInput evaluated, or null
 * @param writer the ResultWriter with its Parameters (or Arguments) evaluated into {@code
 *     Parameters}; null when absent
 * @param itemSelector the ItemSelector (unevaluated: it is evaluated per item), or null
 * @param stateInput the Map state's effective input ({@code $} in the ItemSelector)
 * @param context the context object of the Map state ({@code $$}), without {@code Map}
 * @param variables the variables visible to the Map state
 * @param maxConcurrency at most this many child executions at once, 0 for no limit
 * @param toleratedCount failed items tolerated, -1 when not set
 * @param toleratedPercentage failed items tolerated as a percentage of all items, -1 when not set
 */
public record MapRunSpec(
    String mapRunArn,
    String stateName,
    String label,
    String executionType,
    Branch processor,
    boolean jsonata,
    @Nullable JsonNode items,
    @Nullable ObjectNode reader,
    @Nullable ObjectNode batcher,
    @Nullable ObjectNode writer,
    @Nullable JsonNode itemSelector,
    boolean itemSelectorJsonata,
    JsonNode stateInput,
    ObjectNode context,
    ObjectNode variables,
    int maxConcurrency,
    long toleratedCount,
    double toleratedPercentage) {}
