package dev.troupe.runtime.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.bus.BusException;
import dev.troupe.bus.BusJson;
import dev.troupe.bus.InputTransform;
import dev.troupe.bus.PutEventsValidation;
import dev.troupe.bus.RuleSet;
import dev.troupe.bus.Schedule;
import dev.troupe.store.bus.BusCatalog;
import dev.troupe.store.bus.BusStore;
import dev.troupe.store.bus.Delivery;
import dev.troupe.store.bus.EventBusRecord;
import dev.troupe.store.bus.NewDelivery;
import dev.troupe.store.bus.RuleRecord;
import dev.troupe.store.bus.TargetRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The event bus's shell. Each bus's enabled rules live in memory in a {@link RuleSet} (with their
 * records and targets), rebuilt from the {@link BusCatalog} by {@link #load()}; every change goes
 * to the catalog first. {@link #putEvents} validates a request, matches each accepted event and
 * stores every (event, rule, target) delivery with one {@link BusStore#accept} before answering.
 * {@link #dispatchOnce()} leases due deliveries and carries each out through the {@link
 * TargetPort}: the target's input transform, then the invocation; a failure is retried with
 * exponential backoff and jitter within the target's retry policy, then sent to its dead-letter
 * queue with AWS's message attributes, or dropped and counted. {@link #fireSchedules()} fires the
 * default bus's schedule rules, at most once per fire time (the store's compare-and-set marks).
 *
 * <p>Time comes from the given clock only; the jitter of a retry is drawn from a generator seeded
 * by the bus's seed and the delivery, so a run is repeatable.
 */
public final class EventBus implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventBus.class.getName());

  public static final String DEFAULT = "default";

  /** The first retry's delay before jitter; each retry doubles it, up to {@link #MAX_DELAY}. */
  public static final Duration BASE_DELAY = Duration.ofSeconds(1);

  public static final Duration MAX_DELAY = Duration.ofMinutes(5);

  /** A schedule mark for a schedule that never fires again. */
  static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");

  private final BusCatalog catalog;
  private final BusStore store;
  private final TargetPort port;
  private final Clock clock;
  private final long seed;
  private final String account;
  private final String region;
  private final String owner = "bus-" + UUID.randomUUID();
  private Duration lease = Duration.ofSeconds(60);
  private int batch = 64;

  private final Map<String, BusState> buses = new ConcurrentHashMap<>();

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running;

  /** Set when new deliveries were stored, so that an idle dispatcher looks at once. */
  private final Object signal = new Object();

  private boolean poked;

  /** A bus in memory: its rules' matcher, records and targets (replaced whole on a change). */
  private static final class BusState {
    final RuleSet matcher = new RuleSet();
    volatile Map<String, RuleRecord> rules = Map.of();
    volatile Map<String, List<TargetRecord>> targets = Map.of();
  }

  public EventBus(
      BusCatalog catalog,
      BusStore store,
      TargetPort port,
      Clock clock,
      long seed,
      String account,
      String region) {
    this.catalog = catalog;
    this.store = store;
    this.port = port;
    this.clock = clock;
    this.seed = seed;
    this.account = account;
    this.region = region;
  }

  /** How long a claimed delivery stays leased to this bus. */
  public EventBus withLease(Duration newLease) {
    this.lease = newLease;
    return this;
  }

  /** How many deliveries one {@link #dispatchOnce()} claims at most. */
  public EventBus withBatch(int max) {
    this.batch = max;
    return this;
  }

  public BusCatalog catalog() {
    return catalog;
  }

  public BusStore store() {
    return store;
  }

  /** Now, by the bus's clock. */
  public Instant now() {
    return clock.instant();
  }

  public String account() {
    return account;
  }

  public String region() {
    return region;
  }

  // ---- ARNs

  public String busArn(String name) {
    return "arn:aws:events:" + region + ":" + account + ":event-bus/" + name;
  }

  public String ruleArn(String busName, String ruleName) {
    return "arn:aws:events:"
        + region
        + ":"
        + account
        + ":rule/"
        + (busName.equals(DEFAULT) ? "" : busName + "/")
        + ruleName;
  }

  /** The bus a name or an event bus ARN stands for (null: the default bus). */
  public static String busName(@Nullable String nameOrArn) {
    if (nameOrArn == null || nameOrArn.isEmpty()) {
      return DEFAULT;
    }
    int at = nameOrArn.indexOf(":event-bus/");
    return at >= 0 && nameOrArn.startsWith("arn:")
        ? nameOrArn.substring(at + ":event-bus/".length())
        : nameOrArn;
  }

  /** The local bus an ARN names (this server's account and region), if it names one. */
  public Optional<String> localBus(String arn) {
    String prefix = "arn:aws:events:" + region + ":" + account + ":event-bus/";
    return arn.startsWith(prefix) ? Optional.of(arn.substring(prefix.length())) : Optional.empty();
  }

  // ---- the catalog, kept in memory too

  /** Builds every bus's rules from the catalog; the default bus is created if it is missing. */
  public synchronized void load() {
    catalog.createBus(new EventBusRecord(DEFAULT, busArn(DEFAULT), null, clock.instant()));
    buses.clear();
    for (EventBusRecord b : catalog.buses()) {
      BusState s = new BusState();
      Map<String, RuleRecord> rules = new LinkedHashMap<>();
      Map<String, List<TargetRecord>> targets = new LinkedHashMap<>();
      for (RuleRecord r : catalog.rules(b.name())) {
        rules.put(r.name(), r);
        targets.put(r.name(), List.copyOf(catalog.targets(b.name(), r.name())));
        install(s, r);
      }
      s.rules = Map.copyOf(rules);
      s.targets = Map.copyOf(targets);
      buses.put(b.name(), s);
    }
  }

  private static void install(BusState s, RuleRecord r) {
    s.matcher.remove(r.name());
    String pattern = r.eventPattern();
    if (r.enabled() && pattern != null) {
      s.matcher.put(r.name(), pattern);
    }
  }

  public boolean exists(String busName) {
    return buses.containsKey(busName);
  }

  /** Creates a bus; empty when one of that name exists. */
  public synchronized Optional<EventBusRecord> createBus(
      String name, @Nullable String description) {
    EventBusRecord b = new EventBusRecord(name, busArn(name), description, clock.instant());
    if (!catalog.createBus(b)) {
      return Optional.empty();
    }
    buses.put(name, new BusState());
    return Optional.of(b);
  }

  /** Deletes a bus with its rules and targets; false when there was none. */
  public synchronized boolean deleteBus(String name) {
    BusState s = buses.remove(name);
    if (s != null) {
      s.rules.values().forEach(r -> store.deleteSchedule(r.arn()));
    }
    return catalog.deleteBus(name);
  }

  /**
   * Creates or replaces a rule (its pattern already valid): the catalog, then the matcher. A rule
   * whose schedule changed starts its schedule again from now.
   */
  public synchronized RuleRecord putRule(RuleRecord rule) {
    BusState s = buses.get(rule.busName());
    if (s == null) {
      throw new BusException(
          "ResourceNotFoundException", "Event bus " + rule.busName() + " does not exist.");
    }
    RuleRecord old = s.rules.get(rule.name());
    catalog.putRule(rule);
    RuleRecord stored = catalog.rule(rule.busName(), rule.name()).orElse(rule);
    install(s, stored);
    Map<String, RuleRecord> rules = new LinkedHashMap<>(s.rules);
    rules.put(stored.name(), stored);
    s.rules = Map.copyOf(rules);
    String schedule = stored.scheduleExpression();
    boolean scheduleChanged =
        old == null
            || !java.util.Objects.equals(old.scheduleExpression(), schedule)
            || old.enabled() != stored.enabled();
    if (scheduleChanged) {
      store.deleteSchedule(stored.arn());
      if (schedule != null && stored.enabled()) {
        Instant now = clock.instant();
        Instant first = Schedule.parse(schedule).nextAfter(now, now).orElse(NEVER);
        store.advanceSchedule(stored.arn(), null, first);
      }
    }
    return stored;
  }

  /** Deletes a rule with its targets; false when there was none. */
  public synchronized boolean deleteRule(String busName, String ruleName) {
    BusState s = buses.get(busName);
    boolean there = catalog.deleteRule(busName, ruleName);
    if (s != null) {
      s.matcher.remove(ruleName);
      Map<String, RuleRecord> rules = new LinkedHashMap<>(s.rules);
      RuleRecord gone = rules.remove(ruleName);
      s.rules = Map.copyOf(rules);
      Map<String, List<TargetRecord>> targets = new LinkedHashMap<>(s.targets);
      targets.remove(ruleName);
      s.targets = Map.copyOf(targets);
      if (gone != null) {
        store.deleteSchedule(gone.arn());
      }
    }
    return there;
  }

  public synchronized void putTargets(String busName, String ruleName, List<TargetRecord> put) {
    catalog.putTargets(busName, ruleName, put);
    refreshTargets(busName, ruleName);
  }

  public synchronized int removeTargets(String busName, String ruleName, List<String> ids) {
    int n = catalog.removeTargets(busName, ruleName, ids);
    refreshTargets(busName, ruleName);
    return n;
  }

  private void refreshTargets(String busName, String ruleName) {
    BusState s = buses.get(busName);
    if (s != null) {
      Map<String, List<TargetRecord>> targets = new LinkedHashMap<>(s.targets);
      targets.put(ruleName, List.copyOf(catalog.targets(busName, ruleName)));
      s.targets = Map.copyOf(targets);
    }
  }

  // ---- PutEvents

  /** One entry's answer: its event id, or its error. */
  public record EntryResult(
      @Nullable String eventId, @Nullable String errorCode, @Nullable String errorMessage) {}

  /**
   * PutEvents: validates the request ({@link BusException} when the whole request is refused),
   * matches each accepted entry on its bus and stores all their deliveries in one transaction
   * before returning. An entry for a bus that does not exist gets an event id and is dropped, as on
   * EventBridge.
   */
  public List<EntryResult> putEvents(List<PutEventsValidation.Entry> entries) {
    List<PutEventsValidation.Result> results = PutEventsValidation.validate(entries);
    Instant now = clock.instant();
    List<NewDelivery> deliveries = new ArrayList<>();
    List<EntryResult> out = new ArrayList<>(results.size());
    for (PutEventsValidation.Result r : results) {
      switch (r) {
        case PutEventsValidation.Result.Failed f ->
            out.add(new EntryResult(null, f.errorCode(), f.errorMessage()));
        case PutEventsValidation.Result.Accepted a -> {
          String id = UUID.randomUUID().toString();
          ObjectNode event = PutEventsValidation.envelope(a, id, now, account, region);
          route(busName(a.entry().eventBusName()), event, now, deliveries);
          out.add(new EntryResult(id, null, null));
        }
      }
    }
    if (!deliveries.isEmpty()) {
      store.accept(deliveries, List.of());
      wake();
    }
    return out;
  }

  /** The deliveries of {@code event} on bus {@code busName}: one per matching rule and target. */
  private void route(String busName, JsonNode event, Instant now, List<NewDelivery> into) {
    BusState s = buses.get(busName);
    if (s == null) {
      return;
    }
    Map<String, RuleRecord> rules = s.rules;
    Map<String, List<TargetRecord>> targets = s.targets;
    for (String name : s.matcher.matching(event)) {
      RuleRecord rule = rules.get(name);
      if (rule == null || !rule.enabled()) {
        continue;
      }
      for (TargetRecord t : targets.getOrDefault(name, List.of())) {
        into.add(delivery(rule, t, event, now));
      }
    }
  }

  private static NewDelivery delivery(
      RuleRecord rule, TargetRecord t, JsonNode event, Instant now) {
    ObjectNode p = BusJson.NODES.objectNode();
    p.put("ruleArn", rule.arn());
    p.put("ruleName", rule.name());
    p.set("target", BusJson.parse(t.config()).orElseThrow());
    p.put("ingested", PutEventsValidation.formatTime(now));
    p.set("event", event);
    String id = event.path("id").asText() + "|" + rule.arn() + "|" + t.id();
    return new NewDelivery(id, BusJson.write(p), now, now);
  }

  /** Re-routes an event onto one of this server's buses (a bus target); false if none. */
  private boolean forward(String busName, JsonNode event) {
    if (!buses.containsKey(busName)) {
      return false;
    }
    List<NewDelivery> deliveries = new ArrayList<>();
    route(busName, event, clock.instant(), deliveries);
    if (!deliveries.isEmpty()) {
      store.accept(deliveries, List.of());
      wake();
    }
    return true;
  }

  // ---- the dispatcher

  /** What the dispatcher has done since this bus started. */
  public record Stats(long delivered, long retried, long deadLettered, long dropped) {}

  public Stats stats() {
    return new Stats(delivered.get(), retried.get(), deadLettered.get(), dropped.get());
  }

  /** Claims the due deliveries (a batch) and carries them out, each on its own virtual thread. */
  public int dispatchOnce() {
    Instant now = clock.instant();
    List<Delivery> claimed = store.claimDeliveries(owner, now, lease, batch);
    if (claimed.size() == 1) {
      carryOut(claimed.get(0), now);
    } else if (!claimed.isEmpty()) {
      try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
        for (Delivery d : claimed) {
          each.submit(() -> carryOut(d, now));
        }
      }
    }
    return claimed.size();
  }

  /** Dispatches until nothing is due (for tests and tools). */
  public int dispatchUntilIdle() {
    int total = 0;
    int n;
    while ((n = dispatchOnce()) > 0) {
      total += n;
    }
    return total;
  }

  private void carryOut(Delivery d, Instant now) {
    JsonNode p = BusJson.parse(d.payload()).orElseThrow();
    JsonNode event = p.path("event");
    String ruleArn = p.path("ruleArn").asText();
    BusTarget target;
    try {
      target = BusTarget.of(p.path("target"));
    } catch (BusException e) {
      giveUp(d, now, "dropped: the target is not valid: " + e.getMessage(), dropped);
      return;
    }
    String eventId = event.path("id").asText();
    try {
      Optional<String> bus = localBus(target.arn());
      if (bus.isPresent()) {
        if (!forward(bus.get(), event)) {
          throw new TargetPort.TargetFailure(
              "ResourceNotFoundException", "Event bus " + bus.get() + " does not exist.", false);
        }
      } else {
        InputTransform.Output out =
            target
                .transform()
                .apply(
                    event,
                    new InputTransform.Context(
                        ruleArn, p.path("ruleName").asText(), p.path("ingested").asText()));
        switch (out) {
          case InputTransform.Output.NotDelivered nd -> {
            giveUp(d, now, "dropped: not delivered: " + nd.reason(), dropped);
            return;
          }
          case InputTransform.Output.Delivered del ->
              port.invoke(
                  new TargetPort.Invocation(
                      target.arn(),
                      target.id(),
                      ruleArn,
                      eventId,
                      del.body(),
                      idempotencyName(eventId, ruleArn, target.id()),
                      target.roleArn()));
        }
      }
      store.completeDelivery(d.id());
      delivered.incrementAndGet();
    } catch (TargetPort.TargetFailure f) {
      failed(d, now, target, ruleArn, event, f);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "delivery " + d.id() + " failed", e);
      failed(
          d,
          now,
          target,
          ruleArn,
          event,
          new TargetPort.TargetFailure("InternalException", String.valueOf(e.getMessage()), true));
    }
  }

  private void failed(
      Delivery d,
      Instant now,
      BusTarget target,
      String ruleArn,
      JsonNode event,
      TargetPort.TargetFailure f) {
    int retries = d.attempts();
    String error = f.code() + ": " + f.getMessage();
    String exhausted = null;
    if (f.retryable()) {
      if (retries >= target.maximumRetryAttempts()) {
        exhausted = "MaximumRetryAttempts";
      } else {
        Instant next = now.plus(backoff(d.id(), retries));
        if (Duration.between(d.eventTime(), next).getSeconds() >= target.maximumEventAgeSeconds()) {
          exhausted = "MaximumEventAgeInSeconds";
        } else {
          if (store.retryDelivery(d.id(), owner, next, error)) {
            retried.incrementAndGet();
          }
          return;
        }
      }
    }
    String dlq = target.deadLetterArn();
    if (dlq == null) {
      giveUp(
          d,
          now,
          "dropped: " + (exhausted == null ? "" : exhausted + " exhausted; ") + error,
          dropped);
      return;
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("RULE_ARN", ruleArn);
    attributes.put("TARGET_ARN", target.arn());
    attributes.put("ERROR_CODE", f.code());
    attributes.put("ERROR_MESSAGE", String.valueOf(f.getMessage()));
    if (exhausted != null) {
      attributes.put("EXHAUSTED_RETRY_CONDITION", exhausted);
    }
    attributes.put("RETRY_ATTEMPTS", Integer.toString(retries));
    try {
      port.deadLetter(dlq, BusJson.write(event), attributes);
    } catch (RuntimeException e) {
      // The dead-letter queue is not there either: keep the delivery and try again later.
      if (store.retryDelivery(
          d.id(),
          owner,
          now.plus(backoff(d.id(), retries)),
          error + "; dead-letter queue " + dlq + " failed: " + e.getMessage())) {
        retried.incrementAndGet();
      }
      return;
    }
    giveUp(d, now, "dead-lettered to " + dlq + ": " + error, deadLettered);
  }

  private void giveUp(Delivery d, Instant now, String reason, AtomicLong counter) {
    if (store.giveUpDelivery(d.id(), owner, now, reason)) {
      counter.incrementAndGet();
    }
  }

  /**
   * The delay before retry number {@code retries + 1}: {@link #BASE_DELAY} doubled per retry up to
   * {@link #MAX_DELAY}, its second half drawn at random (so at least half the delay is kept).
   */
  Duration backoff(String deliveryId, int retries) {
    long full = Math.min(BASE_DELAY.toMillis() << Math.min(retries, 30), MAX_DELAY.toMillis());
    long half = full / 2;
    long jitter =
        new SplittableRandom(seed ^ (31L * deliveryId.hashCode() + retries)).nextLong(half + 1);
    return Duration.ofMillis(half + jitter);
  }

  /**
   * The name a state machine target's execution starts under: the event id and a digest of the rule
   * and the target id (at most 80 characters, letters, digits, '-' and '_').
   */
  public static String idempotencyName(String eventId, String ruleArn, String targetId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((ruleArn + "\n" + targetId).getBytes(StandardCharsets.UTF_8));
      String safeId = eventId.replaceAll("[^A-Za-z0-9_-]", "-");
      if (safeId.length() > 60) {
        safeId = safeId.substring(0, 60);
      }
      return safeId + "_" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- schedules

  /**
   * Fires the default bus's enabled schedule rules that are due: the mark moves first (compare and
   * set), so a fire time is fired at most once across nodes and restarts; missed fire times fold
   * into one.
   */
  public int fireSchedules() {
    BusState s = buses.get(DEFAULT);
    if (s == null) {
      return 0;
    }
    Instant now = clock.instant();
    int fired = 0;
    Map<String, List<TargetRecord>> targets = s.targets;
    for (RuleRecord r : s.rules.values()) {
      String expression = r.scheduleExpression();
      if (!r.enabled() || expression == null) {
        continue;
      }
      Schedule schedule;
      try {
        schedule = Schedule.parse(expression);
      } catch (BusException e) {
        continue;
      }
      Optional<Instant> mark = store.scheduleMark(r.arn());
      if (mark.isEmpty()) {
        store.advanceSchedule(r.arn(), null, schedule.nextAfter(now, now).orElse(NEVER));
        continue;
      }
      Instant due = mark.get();
      if (due.isAfter(now)) {
        continue;
      }
      Instant next = schedule.nextAfter(now, due).orElse(NEVER);
      if (!store.advanceSchedule(r.arn(), due, next)) {
        continue;
      }
      String id =
          UUID.nameUUIDFromBytes((r.arn() + "\n" + due).getBytes(StandardCharsets.UTF_8))
              .toString();
      ObjectNode event = Schedule.scheduledEvent(id, due, account, region, r.arn());
      List<NewDelivery> deliveries = new ArrayList<>();
      for (TargetRecord t : targets.getOrDefault(r.name(), List.of())) {
        deliveries.add(delivery(r, t, event, now));
      }
      if (!deliveries.isEmpty()) {
        store.accept(deliveries, List.of());
        wake();
      }
      fired++;
    }
    return fired;
  }

  // ---- workers

  private void wake() {
    synchronized (signal) {
      poked = true;
      signal.notifyAll();
    }
  }

  /**
   * Runs the dispatcher and the schedules on virtual threads. An idle dispatcher looks again after
   * {@code poll} (retries come due) or as soon as this bus stores new deliveries; the schedules are
   * looked at every {@code poll}.
   */
  public synchronized void startWorkers(Duration poll) {
    if (running) {
      return;
    }
    running = true;
    workers.add(
        Thread.ofVirtual()
            .name("troupe-bus-dispatcher")
            .start(() -> loop(this::dispatchOnce, poll, true)));
    workers.add(
        Thread.ofVirtual()
            .name("troupe-bus-schedules")
            .start(() -> loop(this::fireSchedules, poll, false)));
  }

  private void loop(IntSupplier step, Duration poll, boolean wakes) {
    while (running) {
      int n;
      try {
        n = step.getAsInt();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the event bus's worker failed a round", e);
        n = 0;
      }
      if (n == 0) {
        try {
          if (wakes) {
            synchronized (signal) {
              if (!poked && running) {
                signal.wait(Math.max(1, poll.toMillis()));
              }
              poked = false;
            }
          } else {
            Thread.sleep(poll);
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Stops the workers and waits for them (the store stays the caller's). */
  @Override
  public synchronized void close() {
    running = false;
    wake();
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    workers.clear();
  }
}
