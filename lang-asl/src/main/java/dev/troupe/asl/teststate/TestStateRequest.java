package dev.troupe.asl.teststate;

import org.jspecify.annotations.Nullable;

/**
 * A TestState call, field for field as the Step Functions API takes it (JSON documents as text).
 *
 * @param definition the ASL of one state, or of a state machine (then {@code stateName} picks the
 *     state; without it, the StartAt state)
 * @param input the state's input as JSON text; null means {@code {}}
 * @param stateName the state to test in a state machine definition
 * @param inspectionLevel INFO, DEBUG or TRACE
 * @param mock the mocked result or error of a Task, Map or Parallel state
 * @param variables the variables in scope, a JSON object as text
 * @param context the context object ({@code $$}) as JSON text; null means the default one
 * @param stateConfiguration retry and Map failure counts to assume
 * @param roleArn the execution role
 * @param revealSecrets whether to show secrets of an HTTP Task
 */
public record TestStateRequest(
    String definition,
    @Nullable String input,
    @Nullable String stateName,
    InspectionLevel inspectionLevel,
    @Nullable Mock mock,
    @Nullable String variables,
    @Nullable String context,
    @Nullable StateConfiguration stateConfiguration,
    @Nullable String roleArn,
    boolean revealSecrets) {

  /** A request for one state definition with an input, at INFO. */
  public static TestStateRequest of(String definition, @Nullable String input) {
    return new TestStateRequest(
        definition, input, null, InspectionLevel.INFO, null, null, null, null, null, false);
  }

  public TestStateRequest withInspectionLevel(InspectionLevel level) {
    return new TestStateRequest(
        definition,
        input,
        stateName,
        level,
        mock,
        variables,
        context,
        stateConfiguration,
        roleArn,
        revealSecrets);
  }

  public TestStateRequest withMock(@Nullable Mock m) {
    return new TestStateRequest(
        definition,
        input,
        stateName,
        inspectionLevel,
        m,
        variables,
        context,
        stateConfiguration,
        roleArn,
        revealSecrets);
  }

  public TestStateRequest withStateName(@Nullable String name) {
    return new TestStateRequest(
        definition,
        input,
        name,
        inspectionLevel,
        mock,
        variables,
        context,
        stateConfiguration,
        roleArn,
        revealSecrets);
  }

  public TestStateRequest withVariables(@Nullable String vars) {
    return new TestStateRequest(
        definition,
        input,
        stateName,
        inspectionLevel,
        mock,
        vars,
        context,
        stateConfiguration,
        roleArn,
        revealSecrets);
  }

  public TestStateRequest withContext(@Nullable String ctx) {
    return new TestStateRequest(
        definition,
        input,
        stateName,
        inspectionLevel,
        mock,
        variables,
        ctx,
        stateConfiguration,
        roleArn,
        revealSecrets);
  }

  public TestStateRequest withStateConfiguration(@Nullable StateConfiguration config) {
    return new TestStateRequest(
        definition,
        input,
        stateName,
        inspectionLevel,
        mock,
        variables,
        context,
        config,
        roleArn,
        revealSecrets);
  }

  public TestStateRequest withRoleArn(@Nullable String role) {
    return new TestStateRequest(
        definition,
        input,
        stateName,
        inspectionLevel,
        mock,
        variables,
        context,
        stateConfiguration,
        role,
        revealSecrets);
  }

  public TestStateRequest withRevealSecrets(boolean reveal) {
    return new TestStateRequest(
        definition,
        input,
        stateName,
        inspectionLevel,
        mock,
        variables,
        context,
        stateConfiguration,
        roleArn,
        reveal);
  }

  /** How strictly a mocked result is checked against the service's API (see TestState). */
  public enum FieldValidationMode {
    STRICT,
    PRESENT,
    NONE
  }

  /**
   * A mock: exactly one of {@code result} (JSON text) and {@code errorOutput}.
   *
   * @param result what the state's work returned, as JSON text
   * @param errorOutput the error it failed with
   * @param fieldValidationMode how the result is checked against the service's API
   */
  public record Mock(
      @Nullable String result,
      @Nullable ErrorOutput errorOutput,
      FieldValidationMode fieldValidationMode) {
    public static Mock result(String json) {
      return new Mock(json, null, FieldValidationMode.STRICT);
    }

    public static Mock error(@Nullable String error, @Nullable String cause) {
      return new Mock(null, new ErrorOutput(error, cause), FieldValidationMode.STRICT);
    }
  }

  /** A mocked error. */
  public record ErrorOutput(@Nullable String error, @Nullable String cause) {}

  /**
   * What to assume about the state's past and its work.
   *
   * @param retrierRetryCount how many times the matching retrier has already retried
   * @param errorCausedByState the state inside a Map or Parallel that raised the mocked error
   * @param mapIterationFailureCount how many Map iterations failed
   * @param mapItemReaderData the items an ItemReader would read, as JSON text
   */
  public record StateConfiguration(
      @Nullable Integer retrierRetryCount,
      @Nullable String errorCausedByState,
      @Nullable Integer mapIterationFailureCount,
      @Nullable String mapItemReaderData) {}
}
