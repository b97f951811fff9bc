package dev.troupe.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One state machine of the catalog, as CreateStateMachine registered it and DescribeStateMachine
 * shows it. The configuration documents (logging, tracing, encryption) are kept as the JSON text
 * the API took, so the store knows nothing of their shape.
 *
 * @param arn the state machine's ARN, its identity
 * @param name the name in the ARN, unique per account and region
 * @param type STANDARD or EXPRESS
 * @param definition the current definition text
 * @param revisionId names the current definition: it changes whenever the definition or the role
 *     changes (a later definitions table can be keyed by it)
 * @param updateDate when the machine was last updated (its creation date until then)
 * @param loggingConfiguration JSON text
 * @param tracingConfiguration JSON text
 * @param encryptionConfiguration JSON text, or null when none was given
 * @param tags key to value, in the order they were first set
 * @param version the row version: every replacement adds one (a conditional write)
 */
public record StateMachineRecord(
    String arn,
    String name,
    String type,
    String roleArn,
    String definition,
    String revisionId,
    Instant creationDate,
    Instant updateDate,
    String loggingConfiguration,
    String tracingConfiguration,
    @Nullable String encryptionConfiguration,
    Map<String, String> tags,
    long version) {
  public StateMachineRecord {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(revisionId, "revisionId");
    creationDate = StoreSupport.ms(creationDate);
    updateDate = StoreSupport.ms(updateDate);
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** This record with other tags. */
  public StateMachineRecord withTags(Map<String, String> newTags) {
    return new StateMachineRecord(
        arn,
        name,
        type,
        roleArn,
        definition,
        revisionId,
        creationDate,
        updateDate,
        loggingConfiguration,
        tracingConfiguration,
        encryptionConfiguration,
        newTags,
        version);
  }

  /** This record at another row version. */
  public StateMachineRecord withVersion(long newVersion) {
    return new StateMachineRecord(
        arn,
        name,
        type,
        roleArn,
        definition,
        revisionId,
        creationDate,
        updateDate,
        loggingConfiguration,
        tracingConfiguration,
        encryptionConfiguration,
        tags,
        newVersion);
  }
}
