package dev.troupe.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.bus.BusException;
import dev.troupe.bus.BusJson;
import dev.troupe.bus.EventPatterns;
import dev.troupe.bus.PutEventsValidation;
import dev.troupe.bus.Schedule;
import dev.troupe.runtime.bus.BusTarget;
import dev.troupe.runtime.bus.EventBus;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.protocol.AwsJson;
import dev.troupe.server.protocol.Fields;
import dev.troupe.store.bus.EventBusRecord;
import dev.troupe.store.bus.RuleRecord;
import dev.troupe.store.bus.TargetRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The EventBridge API: {@code AWSEvents.<Operation>} requests in AWS JSON 1.1, answered from the
 * runtime's {@link EventBus} (buses, rules and targets are kept in the store's catalog; PutEvents
 * answers once the deliveries are stored). Errors are EventBridge's: {@code
 * ResourceNotFoundException}, {@code ResourceAlreadyExistsException}, {@code ValidationException},
 * {@code InvalidEventPatternException}, {@code LimitExceededException}.
 */
public final class EventsApi {
  public static final String TARGET_PREFIX = "AWSEvents.";
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  /** Most targets a rule may have (EventBridge's quota). */
  public static final int MAX_TARGETS_PER_RULE = 5;

  private static final Pattern BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]{1,256}");
  private static final Pattern RULE_NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");
  private static final Pattern TARGET_ID = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");

  private final EventBus bus;
  private final Map<String, Function<Fields, ObjectNode>> operations = new LinkedHashMap<>();

  public EventsApi(EventBus bus) {
    this.bus = bus;
    operations.put("CreateEventBus", this::createEventBus);
    operations.put("DescribeEventBus", this::describeEventBus);
    operations.put("DeleteEventBus", this::deleteEventBus);
    operations.put("ListEventBuses", this::listEventBuses);
    operations.put("PutRule", this::putRule);
    operations.put("DescribeRule", this::describeRule);
    operations.put("DeleteRule", this::deleteRule);
    operations.put("ListRules", this::listRules);
    operations.put("EnableRule", f -> setState(f, "ENABLED"));
    operations.put("DisableRule", f -> setState(f, "DISABLED"));
    operations.put("PutTargets", this::putTargets);
    operations.put("RemoveTargets", this::removeTargets);
    operations.put("ListTargetsByRule", this::listTargetsByRule);
    operations.put("ListRuleNamesByTarget", this::listRuleNamesByTarget);
    operations.put("PutEvents", this::putEvents);
    operations.put("TestEventPattern", this::testEventPattern);
  }

  public boolean knows(String operation) {
    return operations.containsKey(operation);
  }

  public ObjectNode handle(String operation, ObjectNode body) {
    Function<Fields, ObjectNode> op = operations.get(operation);
    if (op == null) {
      throw ApiError.unknownOperation(TARGET_PREFIX + operation);
    }
    try {
      return op.apply(new Fields(body));
    } catch (BusException e) {
      throw error(e.code(), String.valueOf(e.getMessage()));
    }
  }

  static ApiError error(String code, String message) {
    return new ApiError(code, message, 400);
  }

  private static ObjectNode object() {
    return BusJson.NODES.objectNode();
  }

  private static String checked(String member, @Nullable String value, Pattern pattern) {
    if (value == null) {
      throw Fields.missing(member);
    }
    if (!pattern.matcher(value).matches()) {
      throw ApiError.invalidField(
          "Value '"
              + value
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
              + pattern.pattern().replaceAll("\\{1,\\d+}$", "+"));
    }
    return value;
  }

  /** The bus named by EventBusName (a name or an ARN), which must exist. */
  private String existingBus(Fields f) {
    String name = EventBus.busName(f.string("EventBusName"));
    if (!bus.exists(name)) {
      throw noBus(name);
    }
    return name;
  }

  private static ApiError noBus(String name) {
    return error("ResourceNotFoundException", "Event bus " + name + " does not exist.");
  }

  private RuleRecord existingRule(String busName, String name) {
    return bus.catalog()
        .rule(busName, name)
        .orElseThrow(
            () ->
                error(
                    "ResourceNotFoundException",
                    "Rule " + name + " does not exist on EventBus " + busName + "."));
  }

  // ---- paging: the token is the last name of the page before

  private static String token(String last) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(last.getBytes(StandardCharsets.UTF_8));
  }

  private static <T> List<T> page(
      List<T> sorted, Function<T, String> name, Fields f, ObjectNode out) {
    Integer limit = f.integer("Limit");
    if (limit != null && (limit < 1 || limit > 100)) {
      throw ApiError.invalidField(
          "Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value "
              + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
    }
    String after = null;
    String next = f.string("NextToken");
    if (next != null) {
      try {
        after = new String(Base64.getUrlDecoder().decode(next), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ApiError.validation("The nextToken provided is invalid.");
      }
    }
    List<T> out1 = new ArrayList<>();
    int max = limit == null ? 100 : limit;
    for (T t : sorted) {
      if (after != null && name.apply(t).compareTo(after) <= 0) {
        continue;
      }
      if (out1.size() == max) {
        out.put("NextToken", token(name.apply(out1.get(out1.size() - 1))));
        break;
      }
      out1.add(t);
    }
    return out1;
  }

  // ---- buses

  private ObjectNode createEventBus(Fields f) {
    String name = checked("name", f.string("Name"), BUS_NAME);
    if (name.equals(EventBus.DEFAULT) || name.startsWith("aws.")) {
      throw error("ValidationException", "Event bus name must not be " + name + ".");
    }
    if (f.string("EventSourceName") != null) {
      throw error(
          "ValidationException",
          "Troupe has no partner event sources; create the bus without EventSourceName.");
    }
    String description = f.string("Description");
    EventBusRecord created =
        bus.createBus(name, description)
            .orElseThrow(
                () ->
                    error(
                        "ResourceAlreadyExistsException",
                        "Event bus " + name + " already exists."));
    ObjectNode out = object();
    out.put("EventBusArn", created.arn());
    if (description != null) {
      out.put("Description", description);
    }
    return out;
  }

  private static ObjectNode describe(EventBusRecord b) {
    ObjectNode o = object();
    o.put("Name", b.name());
    o.put("Arn", b.arn());
    if (b.description() != null) {
      o.put("Description", b.description());
    }
    BigDecimal t = AwsJson.timestamp(b.created());
    o.put("CreationTime", t);
    o.put("LastModifiedTime", t);
    return o;
  }

  private ObjectNode describeEventBus(Fields f) {
    String name = EventBus.busName(f.string("Name"));
    return describe(bus.catalog().bus(name).orElseThrow(() -> noBus(name)));
  }

  private ObjectNode deleteEventBus(Fields f) {
    String name = EventBus.busName(f.requiredString("Name"));
    if (name.equals(EventBus.DEFAULT)) {
      throw error("ValidationException", "Cannot delete event bus default.");
    }
    bus.deleteBus(name);
    return object();
  }

  private ObjectNode listEventBuses(Fields f) {
    String prefix = f.string("NamePrefix");
    ObjectNode out = object();
    List<EventBusRecord> all =
        bus.catalog().buses().stream()
            .filter(b -> prefix == null || b.name().startsWith(prefix))
            .toList();
    ArrayNode list = out.putArray("EventBuses");
    page(all, EventBusRecord::name, f, out).forEach(b -> list.add(describe(b)));
    return out;
  }

  // ---- rules

  private ObjectNode putRule(Fields f) {
    String name = checked("name", f.string("Name"), RULE_NAME);
    String busName = existingBus(f);
    String pattern = f.string("EventPattern");
    String schedule = f.string("ScheduleExpression");
    if (pattern == null && schedule == null) {
      throw error(
          "ValidationException",
          "Parameter(s) EventPattern or ScheduleExpression must be specified.");
    }
    if (pattern != null) {
      EventPatterns.validate(pattern)
          .ifPresent(
              e -> {
                throw error("InvalidEventPatternException", String.valueOf(e.getMessage()));
              });
    }
    if (schedule != null) {
      Schedule.parseForBus(schedule, busName);
    }
    String state = f.string("State");
    if (state == null) {
      state = "ENABLED";
    } else if (!state.equals("ENABLED") && !state.equals("DISABLED")) {
      throw ApiError.invalidField(
          "Value '"
              + state
              + "' at 'state' failed to satisfy constraint: Member must satisfy enum value set:"
              + " [ENABLED, DISABLED]");
    }
    String description = f.string("Description");
    if (description != null && description.length() > 512) {
      throw ApiError.invalidField(
          "Value at 'description' failed to satisfy constraint: Member must have length less than"
              + " or equal to 512");
    }
    RuleRecord stored =
        bus.putRule(
            new RuleRecord(
                busName,
                name,
                bus.ruleArn(busName, name),
                pattern,
                schedule,
                state,
                description,
                f.string("RoleArn"),
                bus.now()));
    ObjectNode out = object();
    out.put("RuleArn", stored.arn());
    return out;
  }

  private ObjectNode rule(RuleRecord r) {
    ObjectNode o = object();
    o.put("Name", r.name());
    o.put("Arn", r.arn());
    if (r.eventPattern() != null) {
      o.put("EventPattern", r.eventPattern());
    }
    if (r.scheduleExpression() != null) {
      o.put("ScheduleExpression", r.scheduleExpression());
    }
    o.put("State", r.state());
    if (r.description() != null) {
      o.put("Description", r.description());
    }
    if (r.roleArn() != null) {
      o.put("RoleArn", r.roleArn());
    }
    o.put("EventBusName", r.busName());
    return o;
  }

  private ObjectNode describeRule(Fields f) {
    String busName = existingBus(f);
    ObjectNode o = rule(existingRule(busName, f.requiredString("Name")));
    o.put("CreatedBy", bus.account());
    return o;
  }

  private ObjectNode deleteRule(Fields f) {
    String busName = existingBus(f);
    String name = f.requiredString("Name");
    if (bus.catalog().rule(busName, name).isEmpty()) {
      return object();
    }
    if (!bus.catalog().targets(busName, name).isEmpty()) {
      throw error("ValidationException", "Rule can't be deleted since it has targets.");
    }
    bus.deleteRule(busName, name);
    return object();
  }

  private ObjectNode listRules(Fields f) {
    String busName = existingBus(f);
    String prefix = f.string("NamePrefix");
    ObjectNode out = object();
    List<RuleRecord> all =
        bus.catalog().rules(busName).stream()
            .filter(r -> prefix == null || r.name().startsWith(prefix))
            .toList();
    ArrayNode list = out.putArray("Rules");
    page(all, RuleRecord::name, f, out).forEach(r -> list.add(rule(r)));
    return out;
  }

  private ObjectNode setState(Fields f, String state) {
    String busName = existingBus(f);
    RuleRecord r = existingRule(busName, f.requiredString("Name"));
    bus.putRule(
        new RuleRecord(
            r.busName(),
            r.name(),
            r.arn(),
            r.eventPattern(),
            r.scheduleExpression(),
            state,
            r.description(),
            r.roleArn(),
            r.created()));
    return object();
  }

  // ---- targets

  private static final List<String> TARGET_MEMBERS =
      List.of(
          "Id",
          "Arn",
          "RoleArn",
          "Input",
          "InputPath",
          "InputTransformer",
          "RetryPolicy",
          "DeadLetterConfig");

  private ObjectNode putTargets(Fields f) {
    String busName = existingBus(f);
    String ruleName = f.requiredString("Rule");
    existingRule(busName, ruleName);
    List<Fields> given = f.objects("Targets");
    if (given == null) {
      throw Fields.missing("targets");
    }
    if (given.isEmpty() || given.size() > 10) {
      throw ApiError.invalidField(
          "Value at 'targets' failed to satisfy constraint: Member must have length "
              + (given.isEmpty() ? "greater than or equal to 1" : "less than or equal to 10"));
    }
    ObjectNode out = object();
    ArrayNode failed = out.putArray("FailedEntries");
    List<TargetRecord> put = new ArrayList<>();
    Set<String> existing = new HashSet<>();
    bus.catalog().targets(busName, ruleName).forEach(t -> existing.add(t.id()));
    for (Fields t : given) {
      String id = checked("targets.member.id", t.string("Id"), TARGET_ID);
      String arn = t.requiredString("Arn");
      ObjectNode config = object();
      for (String m : TARGET_MEMBERS) {
        JsonNode v = t.raw(m);
        if (v != null) {
          config.set(m, v);
        }
      }
      BusTarget parsed = BusTarget.of(config); // refuses the whole request, as PutTargets does
      if (bus.localBus(arn).isPresent()
          && (config.has("Input") || config.has("InputPath") || config.has("InputTransformer"))) {
        ObjectNode e = failed.addObject();
        e.put("TargetId", id);
        e.put("ErrorCode", "ValidationException");
        e.put(
            "ErrorMessage",
            "An event bus target cannot have Input, InputPath or InputTransformer.");
        continue;
      }
      if (!existing.contains(parsed.id()) && existing.size() >= MAX_TARGETS_PER_RULE) {
        throw error(
            "LimitExceededException", "The requested resource exceeds the maximum number allowed.");
      }
      existing.add(parsed.id());
      put.add(new TargetRecord(id, arn, BusJson.write(config)));
    }
    if (!put.isEmpty()) {
      bus.putTargets(busName, ruleName, put);
    }
    out.put("FailedEntryCount", failed.size());
    return out;
  }

  private ObjectNode removeTargets(Fields f) {
    String busName = existingBus(f);
    String ruleName = f.requiredString("Rule");
    existingRule(busName, ruleName);
    List<String> ids = f.strings("Ids");
    if (ids == null) {
      throw Fields.missing("ids");
    }
    bus.removeTargets(busName, ruleName, ids);
    ObjectNode out = object();
    out.putArray("FailedEntries");
    out.put("FailedEntryCount", 0);
    return out;
  }

  private ObjectNode listTargetsByRule(Fields f) {
    String busName = existingBus(f);
    String ruleName = f.requiredString("Rule");
    existingRule(busName, ruleName);
    ObjectNode out = object();
    ArrayNode list = out.putArray("Targets");
    page(bus.catalog().targets(busName, ruleName), TargetRecord::id, f, out)
        .forEach(t -> list.add(BusJson.parse(t.config()).orElseThrow()));
    return out;
  }

  private ObjectNode listRuleNamesByTarget(Fields f) {
    String busName = existingBus(f);
    String arn = f.requiredString("TargetArn");
    List<String> names = new ArrayList<>();
    for (RuleRecord r : bus.catalog().rules(busName)) {
      if (bus.catalog().targets(busName, r.name()).stream().anyMatch(t -> t.arn().equals(arn))) {
        names.add(r.name());
      }
    }
    ObjectNode out = object();
    ArrayNode list = out.putArray("RuleNames");
    page(names, n -> n, f, out).forEach(list::add);
    return out;
  }

  // ---- events

  private ObjectNode putEvents(Fields f) {
    List<Fields> entries = f.objects("Entries");
    if (entries == null) {
      throw Fields.missing("entries");
    }
    List<PutEventsValidation.Entry> parsed = new ArrayList<>();
    for (Fields e : entries) {
      JsonNode time = e.raw("Time");
      Instant at = null;
      if (time != null) {
        if (!time.isNumber()) {
          throw ApiError.serialization(
              "Member 'Time' must be a timestamp, got " + time.getNodeType());
        }
        at = Instant.ofEpochMilli(time.decimalValue().movePointRight(3).longValue());
      }
      parsed.add(
          new PutEventsValidation.Entry(
              e.string("Source"),
              e.string("DetailType"),
              e.string("Detail"),
              e.strings("Resources"),
              at,
              e.string("EventBusName"),
              e.string("TraceHeader")));
    }
    List<EventBus.EntryResult> results = bus.putEvents(parsed);
    ObjectNode out = object();
    int failed = 0;
    ArrayNode list = out.putArray("Entries");
    for (EventBus.EntryResult r : results) {
      ObjectNode o = list.addObject();
      if (r.eventId() != null) {
        o.put("EventId", r.eventId());
      } else {
        failed++;
        o.put("ErrorCode", r.errorCode());
        o.put("ErrorMessage", r.errorMessage());
      }
    }
    out.put("FailedEntryCount", failed);
    return out;
  }

  private ObjectNode testEventPattern(Fields f) {
    String pattern = f.requiredString("EventPattern");
    String event = f.requiredString("Event");
    ObjectNode out = object();
    out.put("Result", EventPatterns.matches(pattern, event));
    return out;
  }
}
