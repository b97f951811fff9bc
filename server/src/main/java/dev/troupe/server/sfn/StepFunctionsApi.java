package dev.troupe.server.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.check.Validation;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.teststate.InspectionLevel;
import dev.troupe.asl.teststate.TestStateRequest;
import dev.troupe.asl.teststate.TestStateResponse;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.protocol.AwsJson;
import dev.troupe.server.protocol.Fields;
import dev.troupe.store.ExecutionPage;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.HistoryPage;
import dev.troupe.store.StateMachinePage;
import dev.troupe.store.StateMachineRecord;
import dev.troupe.store.StateMachineVersion;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The Step Functions operations on the wire: reads each request's members (AWS JSON 1.0, the
 * service model's member names), calls {@link StepFunctionsService}, and writes AWS's response
 * shapes. Operations of the model that Troupe does not serve yet answer {@code NotImplemented}
 * (HTTP 501) and name themselves; names outside the model are the protocol's {@code
 * UnknownOperationException}.
 */
public final class StepFunctionsApi {
  /** The X-Amz-Target prefix of Step Functions. */
  public static final String TARGET_PREFIX = "AWSStepFunctions.";

  /** Operations of the Step Functions API model that are not served yet. */
  static final Set<String> NOT_YET = Set.of();

  private final StepFunctionsService service;
  private final RedriveOperations redrives;
  private final Map<String, Function<Fields, ObjectNode>> operations = new LinkedHashMap<>();

  public StepFunctionsApi(StepFunctionsService service, ExpressService express) {
    this(service, express, null);
  }

  /** The API with the activity operations when {@code activities} is given. */
  public StepFunctionsApi(
      StepFunctionsService service, ExpressService express, @Nullable ActivityService activities) {
    this.service = service;
    this.redrives = new RedriveOperations(service.redrives());
    redrives.register(operations);
    if (activities != null) {
      new ActivityOperations(activities).register(operations);
    }
    ExpressOperations expressOps = new ExpressOperations(express);
    operations.put("CreateStateMachine", this::createStateMachine);
    operations.put("DescribeStateMachine", this::describeStateMachine);
    operations.put("UpdateStateMachine", this::updateStateMachine);
    operations.put("DeleteStateMachine", expressOps.deleteStateMachine(this::deleteStateMachine));
    operations.put("ListStateMachines", this::listStateMachines);
    operations.put("TagResource", this::tagResource);
    operations.put("UntagResource", this::untagResource);
    operations.put("ListTagsForResource", this::listTagsForResource);
    operations.put("ValidateStateMachineDefinition", this::validate);
    operations.put("TestState", this::testState);
    operations.put("StartExecution", expressOps.startExecution(this::startExecution));
    operations.put("StartSyncExecution", expressOps::startSyncExecution);
    operations.put("DescribeExecution", expressOps.describeExecution(this::describeExecution));
    MapRunOperations mapRunOps = new MapRunOperations(service.mapRuns());
    operations.put(
        "ListExecutions",
        mapRunOps.listExecutions(expressOps.listExecutions(this::listExecutions)));
    operations.put("GetExecutionHistory", this::history);
    operations.put("StopExecution", this::stopExecution);
    operations.put("DescribeStateMachineForExecution", this::describeForExecution);
    new VersionApi(service.versions()).register(operations);
    mapRunOps.register(operations);
  }

  /** The operations served. */
  public Set<String> operations() {
    return operations.keySet();
  }

  /** Whether {@code operation} (without the prefix) is one this API knows, served or not. */
  public boolean knows(String operation) {
    return operations.containsKey(operation) || NOT_YET.contains(operation);
  }

  /** Runs one operation; throws {@link ApiError}. */
  public ObjectNode handle(String operation, ObjectNode request) {
    Function<Fields, ObjectNode> op = operations.get(operation);
    if (op == null) {
      if (NOT_YET.contains(operation)) {
        throw new ApiError("NotImplemented", "Troupe does not serve " + operation + " yet", 501);
      }
      throw ApiError.unknownOperation(TARGET_PREFIX + operation);
    }
    return op.apply(new Fields(request));
  }

  // ---- helpers

  private static ObjectNode object() {
    return Json.NODES.objectNode();
  }

  static int maxResults(Fields f) {
    Integer max = f.integer("maxResults");
    if (max == null) {
      return 0;
    }
    if (max < 0 || max > 1000) {
      throw ApiError.invalidField(
          "Value '"
              + max
              + "' at 'maxResults' failed to satisfy constraint: Member must have value "
              + (max < 0 ? "greater than or equal to 0" : "less than or equal to 1000"));
    }
    return max;
  }

  private static String enumValue(
      @Nullable String value, String member, String absent, String... allowed) {
    if (value == null) {
      return absent;
    }
    if (!Arrays.asList(allowed).contains(value)) {
      throw ApiError.invalidField(
          "Value '"
              + value
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must satisfy enum value set: ["
              + String.join(", ", allowed)
              + "]");
    }
    return value;
  }

  private static String json(JsonNode node) {
    return Json.write(node);
  }

  private static ObjectNode parsedConfig(String text) {
    try {
      return (ObjectNode) Json.parse(text);
    } catch (JsonProcessingException | ClassCastException e) {
      throw ApiError.internal("a stored configuration is not a JSON object: " + text);
    }
  }

  /** The logging configuration as stored: level, includeExecutionData, destinations. */
  private static @Nullable String logging(Fields f) {
    ObjectNode given = f.object("loggingConfiguration");
    if (given == null) {
      return null;
    }
    Fields l = new Fields(given);
    String level =
        enumValue(
            l.string("level"), "loggingConfiguration.level", "OFF", "ALL", "ERROR", "FATAL", "OFF");
    ObjectNode out = object();
    out.put("level", level);
    out.put("includeExecutionData", l.bool("includeExecutionData", false));
    List<Fields> destinations = l.objects("destinations");
    if (destinations != null && !destinations.isEmpty()) {
      if (destinations.size() > 1) {
        throw ApiError.sfn(
            "InvalidLoggingConfiguration",
            "Invalid Logging Configuration: Must specify exactly one Log Destination.");
      }
      out.putArray("destinations").add(given.get("destinations").get(0));
    } else if (!level.equals("OFF")) {
      throw ApiError.sfn(
          "InvalidLoggingConfiguration",
          "Invalid Logging Configuration: Must specify exactly one Log Destination.");
    }
    return json(out);
  }

  private static final String DEFAULT_LOGGING =
      "{\"level\":\"OFF\",\"includeExecutionData\":false}";
  private static final String DEFAULT_TRACING = "{\"enabled\":false}";

  private static @Nullable String tracing(Fields f) {
    ObjectNode given = f.object("tracingConfiguration");
    if (given == null) {
      return null;
    }
    ObjectNode out = object();
    out.put("enabled", new Fields(given).bool("enabled", false));
    return json(out);
  }

  private static @Nullable String encryption(Fields f) {
    ObjectNode given = f.object("encryptionConfiguration");
    if (given == null) {
      return null;
    }
    Fields e = new Fields(given);
    String type =
        enumValue(
            e.string("type"),
            "encryptionConfiguration.type",
            "AWS_OWNED_KEY",
            "AWS_OWNED_KEY",
            "CUSTOMER_MANAGED_KMS_KEY");
    ObjectNode out = object();
    out.put("type", type);
    if (e.string("kmsKeyId") != null) {
      out.put("kmsKeyId", e.string("kmsKeyId"));
    }
    return json(out);
  }

  static Map<String, String> tags(Fields f) {
    Map<String, String> tags = new LinkedHashMap<>();
    List<Fields> list = f.objects("tags");
    if (list != null) {
      for (Fields t : list) {
        tags.put(t.requiredString("key"), t.string("value") == null ? "" : t.string("value"));
      }
    }
    return tags;
  }

  // ---- state machines

  private ObjectNode createStateMachine(Fields f) {
    String name = f.requiredString("name");
    String definition = f.requiredString("definition");
    String roleArn = f.requiredString("roleArn");
    String type = enumValue(f.string("type"), "type", "STANDARD", "STANDARD", "EXPRESS");
    boolean publish = publish(f);
    String logging = logging(f);
    String tracing = tracing(f);
    StateMachineRecord m =
        service.createStateMachine(
            new StepFunctionsService.NewMachine(
                name,
                definition,
                roleArn,
                type,
                logging == null ? DEFAULT_LOGGING : logging,
                tracing == null ? DEFAULT_TRACING : tracing,
                encryption(f),
                tags(f)));
    ObjectNode out = object();
    out.put("stateMachineArn", m.arn());
    out.put("creationDate", AwsJson.timestamp(m.creationDate()));
    if (publish) {
      out.put(
          "stateMachineVersionArn",
          VersionApi.versionArn(
              service.versions().publish(m, null, f.string("versionDescription"))));
    }
    return out;
  }

  /** The publish flag; a versionDescription without it is refused, as AWS does. */
  private static boolean publish(Fields f) {
    boolean publish = f.bool("publish", false);
    String description = f.string("versionDescription");
    if (description != null && !publish) {
      throw ApiError.validation("Version description can only be set when publish is true");
    }
    VersionService.checkDescription(description, "versionDescription");
    return publish;
  }

  private ObjectNode describeStateMachine(Fields f) {
    String arn = f.requiredString("stateMachineArn");
    StepFunctionsService.DescribedMachine d = service.describeMachineOrVersion(arn);
    StateMachineRecord m = d.machine();
    StateMachineVersion v = d.version();
    ObjectNode out = object();
    out.put("stateMachineArn", v == null ? m.arn() : VersionApi.versionArn(v));
    out.put("name", m.name());
    out.put("status", "ACTIVE");
    out.put("definition", d.definition());
    out.put("roleArn", v == null ? m.roleArn() : v.roleArn());
    if (v != null && v.description() != null) {
      out.put("description", v.description());
    }
    out.put("type", m.type());
    out.put("creationDate", AwsJson.timestamp(v == null ? m.creationDate() : v.creationDate()));
    out.set("loggingConfiguration", parsedConfig(m.loggingConfiguration()));
    out.set("tracingConfiguration", parsedConfig(m.tracingConfiguration()));
    if (m.encryptionConfiguration() != null) {
      out.set("encryptionConfiguration", parsedConfig(m.encryptionConfiguration()));
    }
    out.put("revisionId", v == null ? m.revisionId() : v.revisionId());
    return out;
  }

  private ObjectNode updateStateMachine(Fields f) {
    boolean publish = publish(f);
    StateMachineRecord m =
        service.updateStateMachine(
            f.requiredString("stateMachineArn"),
            f.string("definition"),
            f.string("roleArn"),
            logging(f),
            tracing(f),
            encryption(f));
    ObjectNode out = object();
    out.put("updateDate", AwsJson.timestamp(m.updateDate()));
    out.put("revisionId", m.revisionId());
    if (publish) {
      out.put(
          "stateMachineVersionArn",
          VersionApi.versionArn(
              service.versions().publish(m, null, f.string("versionDescription"))));
    }
    return out;
  }

  private ObjectNode deleteStateMachine(Fields f) {
    service.deleteStateMachine(f.requiredString("stateMachineArn"));
    return object();
  }

  private ObjectNode listStateMachines(Fields f) {
    StateMachinePage page = service.listStateMachines(maxResults(f), f.string("nextToken"));
    ObjectNode out = object();
    ArrayNode list = out.putArray("stateMachines");
    for (StateMachineRecord m : page.stateMachines()) {
      list.addObject()
          .put("stateMachineArn", m.arn())
          .put("name", m.name())
          .put("type", m.type())
          .put("creationDate", AwsJson.timestamp(m.creationDate()));
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  private ObjectNode tagResource(Fields f) {
    String arn = f.requiredString("resourceArn");
    if (f.objects("tags") == null) {
      throw Fields.missing("tags");
    }
    service.retag(arn, tags(f), List.of());
    return object();
  }

  private ObjectNode untagResource(Fields f) {
    String arn = f.requiredString("resourceArn");
    List<String> keys = f.strings("tagKeys");
    if (keys == null) {
      throw Fields.missing("tagKeys");
    }
    service.retag(arn, Map.of(), keys);
    return object();
  }

  private ObjectNode listTagsForResource(Fields f) {
    Map<String, String> tags = service.tags(f.requiredString("resourceArn"));
    ObjectNode out = object();
    ArrayNode list = out.putArray("tags");
    tags.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
    return out;
  }

  private ObjectNode validate(Fields f) {
    String definition = f.requiredString("definition");
    try {
      return Validation.validate(
              definition, f.string("type"), f.string("severity"), f.integer("maxResults"))
          .toJson();
    } catch (Validation.InvalidArgument e) {
      throw ApiError.validation(String.valueOf(e.getMessage()));
    }
  }

  private ObjectNode testState(Fields f) {
    String definition = f.requiredString("definition");
    String level =
        enumValue(f.string("inspectionLevel"), "inspectionLevel", "INFO", "INFO", "DEBUG", "TRACE");
    TestStateRequest.Mock mock = null;
    ObjectNode m = f.object("mock");
    if (m != null) {
      Fields mf = new Fields(m);
      TestStateRequest.ErrorOutput errorOutput = null;
      ObjectNode eo = mf.object("errorOutput");
      if (eo != null) {
        Fields ef = new Fields(eo);
        errorOutput = new TestStateRequest.ErrorOutput(ef.string("error"), ef.string("cause"));
      }
      String mode =
          enumValue(
              mf.string("fieldValidationMode"),
              "mock.fieldValidationMode",
              "STRICT",
              "STRICT",
              "PRESENT",
              "NONE");
      mock =
          new TestStateRequest.Mock(
              mf.string("result"), errorOutput, TestStateRequest.FieldValidationMode.valueOf(mode));
    }
    TestStateRequest.StateConfiguration config = null;
    ObjectNode sc = f.object("stateConfiguration");
    if (sc != null) {
      Fields s = new Fields(sc);
      config =
          new TestStateRequest.StateConfiguration(
              s.integer("retrierRetryCount"),
              s.string("errorCausedByState"),
              s.integer("mapIterationFailureCount"),
              s.string("mapItemReaderData"));
    }
    TestStateRequest request =
        new TestStateRequest(
            definition,
            f.string("input"),
            f.string("stateName"),
            InspectionLevel.valueOf(level),
            mock,
            f.string("variables"),
            f.string("context"),
            config,
            f.string("roleArn"),
            f.bool("revealSecrets", false));
    TestStateResponse r = service.testState(request);
    ObjectNode out = object();
    if (r.output() != null) {
      out.put("output", Json.write(r.output()));
    }
    if (r.error() != null) {
      out.put("error", r.error());
    }
    if (r.cause() != null) {
      out.put("cause", r.cause());
    }
    if (r.nextState() != null) {
      out.put("nextState", r.nextState());
    }
    if (r.inspectionData() != null) {
      out.set("inspectionData", wireInspection(r.inspectionData()));
    }
    out.put("status", r.status().name());
    return out;
  }

  private static final Set<String> INSPECTION_STRUCTURES =
      Set.of("errorDetails", "request", "response");

  /**
   * Inspection data as the API sends it: the data-flow steps (input, afterInputPath, result, ...,
   * variables) as JSON text; the structures (errorDetails, the HTTP request and response) and the
   * numbers (maxConcurrency, toleratedFailure*) as they are.
   */
  private static ObjectNode wireInspection(ObjectNode data) {
    ObjectNode out = object();
    Iterator<Map.Entry<String, JsonNode>> it = data.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      out.set(
          e.getKey(),
          INSPECTION_STRUCTURES.contains(e.getKey()) || v.isNumber()
              ? v
              : Json.NODES.textNode(Json.write(v)));
    }
    return out;
  }

  // ---- executions

  private ObjectNode startExecution(Fields f) {
    ExecutionRecord e =
        service.startExecution(
            f.requiredString("stateMachineArn"), f.string("name"), f.string("input"));
    ObjectNode out = object();
    out.put("executionArn", e.executionId());
    out.put("startDate", AwsJson.timestamp(e.startDate()));
    return out;
  }

  /** The version and alias ARNs of an execution started through a qualified ARN. */
  private void origin(ObjectNode out, String executionArn) {
    service
        .versions()
        .origin(executionArn)
        .ifPresent(
            o -> {
              out.put("stateMachineVersionArn", o.versionArn());
              if (o.aliasArn() != null) {
                out.put("stateMachineAliasArn", o.aliasArn());
              }
            });
  }

  private ObjectNode describeExecution(Fields f) {
    ExecutionRecord e = service.describeExecution(f.requiredString("executionArn"));
    ObjectNode out = object();
    out.put("executionArn", e.executionId());
    out.put("stateMachineArn", e.stateMachineId());
    origin(out, e.executionId());
    out.put("name", e.name());
    out.put("status", e.status().name());
    out.put("startDate", AwsJson.timestamp(e.startDate()));
    if (e.stopDate() != null) {
      out.put("stopDate", AwsJson.timestamp(e.stopDate()));
    }
    out.put("input", e.input());
    out.putObject("inputDetails").put("included", true);
    if (e.output() != null) {
      out.put("output", e.output());
      out.putObject("outputDetails").put("included", true);
    }
    if (e.error() != null) {
      out.put("error", e.error());
    }
    if (e.cause() != null) {
      out.put("cause", e.cause());
    }
    redrives.describe(out, e);
    return out;
  }

  private ObjectNode listExecutions(Fields f) {
    String filter =
        f.string("statusFilter") == null
            ? null
            : enumValue(
                f.string("statusFilter"),
                "statusFilter",
                "",
                "RUNNING",
                "SUCCEEDED",
                "FAILED",
                "TIMED_OUT",
                "ABORTED",
                "PENDING_REDRIVE");
    String machineArn = f.string("stateMachineArn");
    if (machineArn == null) {
      throw ApiError.validation("Must provide a StateMachine ARN or a MapRun ARN");
    }
    ExecutionPage page;
    if ("PENDING_REDRIVE".equals(filter)) {
      // a redrive is carried out within its request: no execution ever waits to be redriven
      service.listExecutions(machineArn, null, null, 1, null);
      page = new ExecutionPage(List.of(), null);
    } else {
      page =
          service.listExecutions(
              machineArn,
              filter == null ? null : ExecutionStatus.valueOf(filter),
              RedriveOperations.filter(f),
              maxResults(f),
              f.string("nextToken"));
    }
    ObjectNode out = object();
    ArrayNode list = out.putArray("executions");
    for (ExecutionRecord e : page.executions()) {
      ObjectNode item =
          list.addObject()
              .put("executionArn", e.executionId())
              .put("stateMachineArn", e.stateMachineId())
              .put("name", e.name())
              .put("status", e.status().name())
              .put("startDate", AwsJson.timestamp(e.startDate()));
      if (e.stopDate() != null) {
        item.put("stopDate", AwsJson.timestamp(e.stopDate()));
      }
      RedriveOperations.listItem(item, e);
      origin(item, e.executionId());
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  private static final Set<String> EXECUTION_DATA =
      Set.of("input", "output", "inputDetails", "outputDetails");

  private ObjectNode history(Fields f) {
    boolean includeData = f.bool("includeExecutionData", true);
    HistoryPage page =
        service.history(
            f.requiredString("executionArn"),
            maxResults(f),
            f.bool("reverseOrder", false),
            f.string("nextToken"));
    ObjectNode out = object();
    ArrayNode list = out.putArray("events");
    for (HistoryEvent e : page.events()) {
      ObjectNode item = list.addObject();
      item.put("timestamp", AwsJson.timestamp(e.timestamp()));
      item.put("type", e.type());
      item.put("id", e.id());
      item.put("previousEventId", e.previousEventId());
      Iterator<Map.Entry<String, JsonNode>> details = e.details().fields();
      while (details.hasNext()) {
        Map.Entry<String, JsonNode> d = details.next();
        JsonNode value = d.getValue();
        if (!includeData && value instanceof ObjectNode o) {
          ObjectNode copy = o.deepCopy();
          copy.remove(EXECUTION_DATA);
          value = copy;
        }
        item.set(d.getKey(), value);
      }
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  private ObjectNode stopExecution(Fields f) {
    String error = f.string("error");
    String cause = f.string("cause");
    if (error != null && error.length() > 256) {
      throw ApiError.invalidField(
          "Value at 'error' failed to satisfy constraint: Member must have length less than or"
              + " equal to 256");
    }
    if (cause != null && cause.length() > 32768) {
      throw ApiError.invalidField(
          "Value at 'cause' failed to satisfy constraint: Member must have length less than or"
              + " equal to 32768");
    }
    ObjectNode out = object();
    out.put(
        "stopDate",
        AwsJson.timestamp(service.stopExecution(f.requiredString("executionArn"), error, cause)));
    return out;
  }

  private ObjectNode describeForExecution(Fields f) {
    StepFunctionsService.MachineForExecution r =
        service.describeStateMachineForExecution(f.requiredString("executionArn"));
    StateMachineRecord m = r.machine();
    ObjectNode out = object();
    out.put("stateMachineArn", m.arn());
    out.put("name", m.name());
    out.put("definition", r.definition());
    out.put("roleArn", m.roleArn());
    out.put("updateDate", AwsJson.timestamp(m.updateDate()));
    out.set("loggingConfiguration", parsedConfig(m.loggingConfiguration()));
    out.set("tracingConfiguration", parsedConfig(m.tracingConfiguration()));
    out.put("revisionId", m.revisionId());
    return out;
  }
}
