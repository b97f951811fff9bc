package dev.troupe.store.bus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The storage contract of the event bus. An event is accepted (PutEvents answers) only once its
 * deliveries and its archive copies are stored, by {@link #accept} in one transaction; an event
 * that matched no rule and no archive leaves nothing behind, as on EventBridge.
 *
 * <p>A delivery is one (event, target) pair, identified by an id the bus chooses (for example the
 * event id, the rule and the target id, plus the replay's name for a replayed event), so that
 * accepting the same delivery twice stores it once. Deliveries are leased ({@link
 * #claimDeliveries}), so each is carried out at least once; a failed attempt is put back with the
 * time of the next one ({@link #retryDelivery}), and a delivery given up (retries or event age
 * exhausted, no dead-letter queue) is kept apart and counted ({@link #giveUpDelivery}).
 *
 * <p>Every instant is given by the caller and stored to the millisecond.
 */
public interface BusStore {
  /** The most payload one delivery or archived event may hold, in UTF-8 bytes. */
  int MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

  /**
   * Stores, in one transaction, the deliveries and archive copies of accepted events. A delivery
   * whose id is already stored (pending or given up) is left as it is, and so is an archived event
   * already in its archive.
   *
   * @return how many deliveries were new
   */
  int accept(List<NewDelivery> deliveries, List<ArchivedEvent> archived);

  /** A pending delivery (leased or not), if it is stored. */
  Optional<Delivery> delivery(String id);

  /** How many deliveries are pending (not yet carried out nor given up). */
  long pendingDeliveries();

  /**
   * Leases up to {@code max} deliveries due at or before {@code now} and not leased (or whose lease
   * ran out), earliest due first, to {@code owner} until {@code now + lease}. On PostgreSQL two
   * claimers never take the same delivery.
   */
  List<Delivery> claimDeliveries(String owner, Instant now, Duration lease, int max);

  /** Removes a delivery carried out. False if it was not there (already done by someone). */
  boolean completeDelivery(String id);

  /**
   * Puts back a delivery that failed, to be tried again at {@code due}: one more attempt counted,
   * the error kept, the lease cleared. Only the holder of the lease may: false otherwise (the lease
   * ran out and someone else holds it, or the delivery is gone).
   */
  boolean retryDelivery(String id, String owner, Instant due, String error);

  /**
   * Gives a delivery up: it leaves the pending deliveries and is kept among those given up, with
   * the reason. Only the holder of the lease may: false otherwise.
   */
  boolean giveUpDelivery(String id, String owner, Instant at, String reason);

  /** Deliveries given up, oldest first, after the one whose id is {@code afterId}. */
  List<GivenUpDelivery> givenUp(@Nullable String afterId, int max);

  /**
   * The events of one archive whose time is in {@code [from, to)}, by time and then event id, a
   * page at a time ({@code pageToken} from the page before, or null for the first).
   */
  ArchivePage archived(
      String archiveId, Instant from, Instant to, @Nullable String pageToken, int max);

  /** Deletes up to {@code max} events of an archive older than {@code before} (retention). */
  int deleteArchivedBefore(String archiveId, Instant before, int max);

  /** When a scheduled rule is next due, if it has a mark. */
  Optional<Instant> scheduleMark(String ruleId);

  /**
   * Moves a scheduled rule's mark from {@code expected} (null: no mark yet) to {@code next}, only
   * if it is still {@code expected}: of two nodes, or a node and its restarted self, only one fires
   * a given tick.
   */
  boolean advanceSchedule(String ruleId, @Nullable Instant expected, Instant next);

  /** Forgets a scheduled rule's mark (the rule was deleted). */
  void deleteSchedule(String ruleId);
}
