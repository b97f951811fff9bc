package dev.troupe.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.integrations.functions.FunctionName;
import dev.troupe.integrations.functions.Functions;
import dev.troupe.runtime.TaskHandler;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The {@link TaskHandler} of Troupe's integrations: dispatches on the Task's Resource to {@code
 * arn:aws:states:::lambda:invoke}, a function ARN ({@code arn:aws:lambda:REGION:ACCOUNT:function:
 * NAME}) or {@code arn:aws:states:::http:invoke} ({@code lambda:invoke.waitForTaskToken} too: the
 * invocation's answer is what the interpreter records as submitted), and hands every other resource
 * to {@code otherwise} (another integration, or {@link TaskHandler#NONE}).
 */
public final class Integrations implements TaskHandler, AutoCloseable {
  public static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
  public static final String HTTP_INVOKE = "arn:aws:states:::http:invoke";

  /**
   * A callback task through a function: the function is invoked as by {@link #LAMBDA_INVOKE} (its
   * answer is the Task's submission), and the task then waits for its token to be answered.
   */
  public static final String LAMBDA_INVOKE_CALLBACK = LAMBDA_INVOKE + ".waitForTaskToken";

  /** How long an HTTP Task waits to connect. */
  public static final Duration HTTP_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** How long an HTTP Task waits for its response (the HTTP Task's own limit in Step Functions). */
  public static final Duration HTTP_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final LambdaTasks lambda;
  private final HttpTasks httpTasks;
  private final HttpClient http;
  private final TaskHandler otherwise;

  public Integrations(Functions functions, Clock clock, TaskHandler otherwise) {
    this(functions, clock, otherwise, HTTP_REQUEST_TIMEOUT);
  }

  /** With the time an HTTP Task waits for its response (shorter in tests). */
  public Integrations(
      Functions functions, Clock clock, TaskHandler otherwise, Duration httpRequestTimeout) {
    this.lambda = new LambdaTasks(functions, clock);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(HTTP_CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.httpTasks = new HttpTasks(http, httpRequestTimeout);
    this.otherwise = otherwise;
  }

  @Override
  public TaskOutcome invoke(String resource, JsonNode parameters) {
    if (resource.equals(LAMBDA_INVOKE) || resource.equals(LAMBDA_INVOKE_CALLBACK)) {
      return lambda.invoke(parameters);
    }
    if (resource.equals(HTTP_INVOKE)) {
      return httpTasks.invoke(parameters);
    }
    if (FunctionName.isFunctionArn(resource)) {
      return lambda.direct(resource, parameters);
    }
    return otherwise.invoke(resource, parameters);
  }

  @Override
  public void close() {
    http.close();
  }
}
