package dev.troupe.server.sfn;

import dev.troupe.server.protocol.ApiError;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.StateMachineAlias;
import dev.troupe.store.StateMachineAlias.Route;
import dev.troupe.store.StateMachineRecord;
import dev.troupe.store.StateMachineVersion;
import dev.troupe.store.StoreException;
import dev.troupe.store.VersionCatalog.ExecutionOrigin;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * State machine versions and aliases as Step Functions defines them: PublishStateMachineVersion
 * (idempotent on the machine's revision; {@code revisionId} must name the current revision; at most
 * {@value #MAX_VERSIONS} versions), ListStateMachineVersions, DeleteStateMachineVersion (refused
 * while an alias routes to it), the alias operations (one or two versions of the same machine whose
 * weights add up to 100; at most {@value #MAX_ALIASES} aliases), and the resolution of a qualified
 * ARN ({@code ...:stateMachine:NAME:3} or {@code ...:stateMachine:NAME:ALIAS}) to the version an
 * execution runs, an alias choosing by weight with the injected random.
 */
public final class VersionService {
  public static final int MAX_VERSIONS = 1000;
  public static final int MAX_ALIASES = 100;
  private static final int MAX_DESCRIPTION = 256;
  private static final String ALIAS_PATTERN = "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$";

  private final ExecutionStore store;
  private final Clock clock;
  private final RandomGenerator routing;
  private final Object drawLock = new Object();

  public VersionService(ExecutionStore store, Clock clock, RandomGenerator routing) {
    this.store = store;
    this.clock = clock;
    this.routing = routing;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static ApiError fromStore(StoreException e) {
    return switch (e.code()) {
      case "ValidationException" -> ApiError.validation(e.detail());
      case "StoreFailure" -> ApiError.internal(e.detail());
      default -> ApiError.sfn(e.code(), e.detail());
    };
  }

  private static ApiError notFound(String arn) {
    return ApiError.sfn("ResourceNotFound", "Resource not found: '" + arn + "'");
  }

  private static ApiError noSuchMachine(String arn) {
    return ApiError.sfn("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }

  static void checkDescription(@Nullable String description, String member) {
    if (description != null && description.length() > MAX_DESCRIPTION) {
      throw ApiError.invalidField(
          "Value at '"
              + member
              + "' failed to satisfy constraint: Member must have length less than or equal to "
              + MAX_DESCRIPTION);
    }
  }

  // ---- ARNs

  /** A state machine ARN with a qualifier: a version number or an alias name. */
  public record Qualified(String machineArn, String qualifier) {
    public boolean isVersion() {
      return qualifier.chars().allMatch(Character::isDigit);
    }

    public long version() {
      try {
        return Long.parseLong(qualifier);
      } catch (NumberFormatException e) {
        throw ArnScheme.invalid("Invalid version number in " + machineArn + ":" + qualifier);
      }
    }

    public String arn() {
      return machineArn + ":" + qualifier;
    }
  }

  /** The parts of a qualified ARN, or empty for an unqualified machine ARN; InvalidArn else. */
  public static Optional<Qualified> qualified(String arn) {
    int colon = arn.lastIndexOf(':');
    if (colon > 0) {
      String head = arn.substring(0, colon);
      String qualifier = arn.substring(colon + 1);
      String[] parts = head.split(":", -1);
      if (parts.length == 7 && parts[5].equals("stateMachine")) {
        ArnScheme.machineName(head);
        if (qualifier.isEmpty()) {
          throw ArnScheme.invalid("Invalid ARN: " + arn);
        }
        return Optional.of(new Qualified(head, qualifier));
      }
    }
    ArnScheme.machineName(arn);
    return Optional.empty();
  }

  private static Qualified versionArn(String arn) {
    Qualified q = qualified(arn).orElseThrow(() -> ArnScheme.invalid("Not a version ARN: " + arn));
    if (!q.isVersion()) {
      throw ArnScheme.invalid("Not a version ARN: " + arn);
    }
    return q;
  }

  private static Qualified aliasArn(String arn) {
    Qualified q = qualified(arn).orElseThrow(() -> ArnScheme.invalid("Not an alias ARN: " + arn));
    if (q.isVersion()) {
      throw ArnScheme.invalid("Not an alias ARN: " + arn);
    }
    return q;
  }

  // ---- versions

  /**
   * PublishStateMachineVersion of the machine's current revision: the version already published for
   * it when there is one (whatever the description), else a new version.
   */
  public StateMachineVersion publish(
      String machineArn, @Nullable String revisionId, @Nullable String description) {
    ArnScheme.machineName(machineArn);
    checkDescription(description, "description");
    StateMachineRecord machine =
        store.stateMachine(machineArn).orElseThrow(() -> noSuchMachine(machineArn));
    return publish(machine, revisionId, description);
  }

  /** Publishes {@code machine} as read (CreateStateMachine or UpdateStateMachine with publish). */
  public StateMachineVersion publish(
      StateMachineRecord machine, @Nullable String revisionId, @Nullable String description) {
    if (revisionId != null && !revisionId.equals(machine.revisionId())) {
      throw ApiError.sfn(
          "ConflictException",
          "Failed to publish the state machine version: the current revision id is '"
              + machine.revisionId()
              + "', not '"
              + revisionId
              + "'");
    }
    try {
      String hash = store.putDefinitionRevision(machine.definition());
      return store.publishVersion(
          new StateMachineVersion(
              machine.arn(), 0, machine.revisionId(), hash, machine.roleArn(), description, now()),
          MAX_VERSIONS);
    } catch (StoreException e) {
      throw fromStore(e);
    }
  }

  /** The version a version ARN names; StateMachineDoesNotExist when there is none. */
  public StateMachineVersion version(String versionArn) {
    Qualified q = versionArn(versionArn);
    return store.version(q.machineArn(), q.version()).orElseThrow(() -> noSuchMachine(versionArn));
  }

  /** A page of ListStateMachineVersions, newest first. */
  public record Page<T>(List<T> items, @Nullable String nextToken) {}

  private static <T> Page<T> page(
      List<T> all, String kind, int maxResults, @Nullable String nextToken) {
    int size = maxResults == 0 ? 100 : maxResults;
    int from = 0;
    if (nextToken != null) {
      try {
        String text =
            new String(
                Base64.getUrlDecoder().decode(nextToken), java.nio.charset.StandardCharsets.UTF_8);
        if (!text.startsWith(kind + ":")) {
          throw new IllegalArgumentException(text);
        }
        from = Integer.parseInt(text.substring(kind.length() + 1));
      } catch (IllegalArgumentException e) {
        throw ApiError.sfn("InvalidToken", "Invalid Token: '" + nextToken + "'");
      }
      if (from < 0 || from > all.size()) {
        throw ApiError.sfn("InvalidToken", "Invalid Token: '" + nextToken + "'");
      }
    }
    int to = Math.min(all.size(), from + size);
    String next =
        to < all.size()
            ? Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((kind + ":" + to).getBytes(java.nio.charset.StandardCharsets.UTF_8))
            : null;
    return new Page<>(new ArrayList<>(all.subList(from, to)), next);
  }

  public Page<StateMachineVersion> listVersions(
      String machineArn, int maxResults, @Nullable String nextToken) {
    ArnScheme.machineName(machineArn);
    return page(store.versions(machineArn), "versions", maxResults, nextToken);
  }

  /** DeleteStateMachineVersion: nothing to do when there is no such version. */
  public void deleteVersion(String versionArn) {
    Qualified q = versionArn(versionArn);
    try {
      store.deleteVersion(q.machineArn(), q.version());
    } catch (StoreException e) {
      throw fromStore(e);
    }
  }

  // ---- aliases

  /** One route as given: a version ARN and its weight. */
  public record RouteIn(String versionArn, int weight) {}

  private static String checkAliasName(String name) {
    if (name.isEmpty() || name.length() > 80) {
      throw ApiError.invalidField(
          "Value '"
              + name
              + "' at 'name' failed to satisfy constraint: Member must have length between 1 and"
              + " 80");
    }
    if (!name.matches(ALIAS_PATTERN)) {
      throw ApiError.invalidField(
          "Value '"
              + name
              + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression"
              + " pattern: "
              + ALIAS_PATTERN);
    }
    return name;
  }

  /** Checks a routing configuration; returns its machine ARN and the routes by number. */
  private static List<Route> routes(List<RouteIn> given, String[] machineOut) {
    if (given.isEmpty() || given.size() > 2) {
      throw ApiError.invalidField(
          "Value at 'routingConfiguration' failed to satisfy constraint: Member must have length"
              + (given.isEmpty() ? " greater than or equal to 1" : " less than or equal to 2"));
    }
    List<Route> out = new ArrayList<>();
    String machine = null;
    int sum = 0;
    for (RouteIn r : given) {
      Qualified q = versionArn(r.versionArn());
      if (machine != null && !machine.equals(q.machineArn())) {
        throw ApiError.validation(
            "Routing configuration must contain versions of the same state machine, got '"
                + given.get(0).versionArn()
                + "' and '"
                + r.versionArn()
                + "'");
      }
      machine = q.machineArn();
      if (r.weight() < 0 || r.weight() > 100) {
        throw ApiError.invalidField(
            "Value '"
                + r.weight()
                + "' at 'routingConfiguration.member.weight' failed to satisfy constraint: Member"
                + " must have value between 0 and 100");
      }
      for (Route seen : out) {
        if (seen.version() == q.version()) {
          throw ApiError.validation(
              "Routing configuration must contain distinct state machine versions, '"
                  + r.versionArn()
                  + "' is given twice");
        }
      }
      sum += r.weight();
      out.add(new Route(q.version(), r.weight()));
    }
    if (sum != 100) {
      throw ApiError.validation(
          "Sum of routing configuration weights must be equal to 100, got " + sum);
    }
    machineOut[0] = Objects.requireNonNull(machine);
    return out;
  }

  /**
   * CreateStateMachineAlias; the same name, description and routing as an existing alias returns
   * it, anything else under a taken name is a ConflictException.
   */
  public StateMachineAlias createAlias(
      String name, @Nullable String description, List<RouteIn> routing) {
    checkAliasName(name);
    checkDescription(description, "description");
    String[] machine = new String[1];
    List<Route> routes = routes(routing, machine);
    if (store.stateMachine(machine[0]).isEmpty()) {
      throw noSuchMachine(machine[0]);
    }
    Instant now = now();
    StateMachineAlias alias =
        new StateMachineAlias(machine[0], name, description, routes, now, now);
    try {
      if (store.createAlias(alias, MAX_ALIASES)) {
        return alias;
      }
    } catch (StoreException e) {
      throw fromStore(e);
    }
    StateMachineAlias existing =
        store.alias(machine[0], name).orElseThrow(() -> notFound(machine[0] + ":" + name));
    if (Objects.equals(existing.description(), description) && existing.routes().equals(routes)) {
      return existing;
    }
    throw ApiError.sfn(
        "ConflictException",
        "Failed to create alias because an alias with the same name and a different routing"
            + " configuration or description already exists: '"
            + machine[0]
            + ":"
            + name
            + "'");
  }

  public StateMachineAlias describeAlias(String aliasArn) {
    Qualified q = aliasArn(aliasArn);
    return store.alias(q.machineArn(), q.qualifier()).orElseThrow(() -> notFound(aliasArn));
  }

  /** UpdateStateMachineAlias: the description, the routing, or both. */
  public StateMachineAlias updateAlias(
      String aliasArn, @Nullable String description, @Nullable List<RouteIn> routing) {
    Qualified q = aliasArn(aliasArn);
    if (description == null && routing == null) {
      throw ApiError.validation(
          "Either the description or the RoutingConfiguration must be specified");
    }
    checkDescription(description, "description");
    StateMachineAlias current = describeAlias(aliasArn);
    List<Route> routes = current.routes();
    if (routing != null) {
      String[] machine = new String[1];
      routes = routes(routing, machine);
      if (!machine[0].equals(q.machineArn())) {
        throw ApiError.validation(
            "Routing configuration must contain versions of the alias's state machine '"
                + q.machineArn()
                + "'");
      }
    }
    StateMachineAlias next =
        new StateMachineAlias(
            q.machineArn(),
            q.qualifier(),
            description == null ? current.description() : description,
            routes,
            current.creationDate(),
            now());
    try {
      if (!store.replaceAlias(next)) {
        throw notFound(aliasArn);
      }
    } catch (StoreException e) {
      throw fromStore(e);
    }
    return next;
  }

  /** DeleteStateMachineAlias; ResourceNotFound when there is no such alias. */
  public void deleteAlias(String aliasArn) {
    Qualified q = aliasArn(aliasArn);
    if (!store.deleteAlias(q.machineArn(), q.qualifier())) {
      throw notFound(aliasArn);
    }
  }

  public Page<StateMachineAlias> listAliases(
      String machineArn, int maxResults, @Nullable String nextToken) {
    ArnScheme.machineName(machineArn);
    if (store.stateMachine(machineArn).isEmpty()) {
      throw notFound(machineArn);
    }
    return page(store.aliases(machineArn), "aliases", maxResults, nextToken);
  }

  /** The version (and alias) an execution was started through, if any. */
  public Optional<ExecutionOrigin> origin(String executionArn) {
    return store.executionOrigin(executionArn);
  }

  // ---- starting through a qualified ARN

  /** What a qualified StartExecution runs: a version, and the alias that chose it, if any. */
  public record Target(StateMachineVersion version, String definition, ExecutionOrigin origin) {}

  /** The version a qualified ARN names, an alias choosing one of its routes by weight. */
  public Target resolve(Qualified q) {
    long number;
    String aliasArn = null;
    if (q.isVersion()) {
      number = q.version();
    } else {
      StateMachineAlias alias =
          store.alias(q.machineArn(), q.qualifier()).orElseThrow(() -> notFound(q.arn()));
      number = pick(alias.routes());
      aliasArn = q.arn();
    }
    StateMachineVersion version =
        store
            .version(q.machineArn(), number)
            .orElseThrow(() -> noSuchMachine(q.machineArn() + ":" + number));
    String definition =
        store
            .definitionRevision(version.definitionHash())
            .orElseThrow(
                () -> ApiError.internal("the definition of version " + number + " is not kept"));
    return new Target(
        version, definition, new ExecutionOrigin(q.machineArn() + ":" + number, aliasArn));
  }

  /** One draw in [0, 100): the first route below its weight, else the second. */
  private long pick(List<Route> routes) {
    if (routes.size() == 1) {
      return routes.get(0).version();
    }
    int draw;
    synchronized (drawLock) {
      draw = routing.nextInt(100);
    }
    return draw < routes.get(0).weight() ? routes.get(0).version() : routes.get(1).version();
  }
}
