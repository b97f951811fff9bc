package dev.troupe.server.sfn;

import dev.troupe.server.protocol.ApiError;

/**
 * The ARNs of one server: {@code arn:aws:states:<region>:<account>:stateMachine:<name>} and {@code
 * arn:aws:states:<region>:<account>:execution:<machine>:<name>}, with a configurable account id and
 * region.
 */
public record ArnScheme(String region, String account) {
  public ArnScheme {
    if (!account.matches("\\d{12}")) {
      throw new IllegalArgumentException("an account id is 12 digits, got '" + account + "'");
    }
    if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
      throw new IllegalArgumentException("not a region name: '" + region + "'");
    }
  }

  private String prefix() {
    return "arn:aws:states:" + region + ":" + account + ":";
  }

  public String stateMachine(String name) {
    return prefix() + "stateMachine:" + name;
  }

  public String execution(String machineName, String executionName) {
    return prefix() + "execution:" + machineName + ":" + executionName;
  }

  public String activity(String name) {
    return prefix() + "activity:" + name;
  }

  /** The name in an activity ARN; InvalidArn for anything else. */
  public static String activityName(String arn) {
    String[] parts = parts(arn);
    if (!parts[5].equals("activity") || parts.length != 7) {
      throw invalid("Resource type not valid in this context: " + parts[5]);
    }
    return parts[6];
  }

  /** The role of executions whose machine has none to tell (resumed by the driver). */
  public String defaultRole() {
    return "arn:aws:iam::" + account + ":role/troupe-execution";
  }

  /** The name in a state machine ARN; InvalidArn for anything else. */
  public static String machineName(String arn) {
    String[] parts = parts(arn);
    if (!parts[5].equals("stateMachine") || parts.length != 7) {
      throw invalid("Resource type not valid in this context: " + parts[5]);
    }
    return parts[6];
  }

  /** The machine name and execution name of an execution ARN; InvalidArn for anything else. */
  public static String[] executionNames(String arn) {
    String[] parts = parts(arn);
    if (!parts[5].equals("execution") || parts.length != 8) {
      throw invalid("Resource type not valid in this context: " + parts[5]);
    }
    return new String[] {parts[6], parts[7]};
  }

  /** The state machine ARN an execution ARN belongs to. */
  public static String machineOfExecution(String executionArn) {
    String[] parts = parts(executionArn);
    return String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4])
        + ":stateMachine:"
        + executionNames(executionArn)[0];
  }

  private static String[] parts(String arn) {
    if (!arn.startsWith("arn:")) {
      throw invalid("Invalid ARN prefix: " + arn);
    }
    String[] parts = arn.split(":", -1);
    if (parts.length < 7 || !parts[2].equals("states")) {
      throw invalid("Resource type not valid in this context: " + arn);
    }
    return parts;
  }

  static ApiError invalid(String detail) {
    return ApiError.sfn("InvalidArn", "Invalid Arn: '" + detail + "'");
  }
}
