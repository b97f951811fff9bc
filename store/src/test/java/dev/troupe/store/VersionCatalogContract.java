package dev.troupe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.store.StateMachineAlias.Route;
import dev.troupe.store.VersionCatalog.ExecutionOrigin;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The versions' and aliases' part of the storage contract, run by {@link StoreContract} for every
 * adapter.
 */
interface VersionCatalogContract extends StateMachineCatalogContract {
  String M = "arn:aws:states:us-east-1:123456789012:stateMachine:Versioned";
  Instant AT = Instant.parse("2026-03-02T08:00:00.123456Z");

  private StateMachineVersion candidate(ExecutionStore s, String revisionId, String definition) {
    String hash = s.putDefinitionRevision(definition);
    return new StateMachineVersion(
        M, 0, revisionId, hash, "arn:aws:iam::123456789012:role/r", "d " + revisionId, AT);
  }

  private static void assertCode(Runnable r, String code) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  default void versionsAreNumberedFromOneNeverReusedAndPublishingARevisionTwiceReturnsTheFirst() {
    ExecutionStore s = catalogStore();
    StateMachineVersion v1 = s.publishVersion(candidate(s, "r1", "{\"a\":1}"), 1000);
    assertThat(v1.number()).isEqualTo(1);
    assertThat(v1.creationDate()).isEqualTo(Instant.parse("2026-03-02T08:00:00.123Z"));
    StateMachineVersion v2 = s.publishVersion(candidate(s, "r2", "{\"a\":2}"), 1000);
    assertThat(v2.number()).isEqualTo(2);
    // the same revision again, even when it is not the latest: the version already kept
    assertThat(s.publishVersion(candidate(s, "r1", "{\"a\":1}").withNumber(9), 1000)).isEqualTo(v1);
    assertThat(s.versions(M)).containsExactly(v2, v1);
    assertThat(s.deleteVersion(M, 2)).isTrue();
    assertThat(s.deleteVersion(M, 2)).isFalse();
    StateMachineVersion v3 = s.publishVersion(candidate(s, "r3", "{\"a\":3}"), 1000);
    assertThat(v3.number()).isEqualTo(3);
    ExecutionStore reopened = reopenCatalogStore();
    assertThat(reopened.versions(M)).containsExactly(v3, v1);
    assertThat(reopened.version(M, 1)).contains(v1);
    assertThat(reopened.version(M, 2)).isEmpty();
    assertThat(reopened.definitionRevision(v3.definitionHash())).contains("{\"a\":3}");
    assertThat(reopened.publishVersion(candidate(reopened, "r4", "{\"a\":4}"), 1000).number())
        .isEqualTo(4);
    assertThat(reopened.versions(M + "x")).isEmpty();
  }

  @Test
  default void theQuotaOfVersionsCountsTheVersionsKept() {
    ExecutionStore s = catalogStore();
    s.publishVersion(candidate(s, "q1", "{}"), 2);
    s.publishVersion(candidate(s, "q2", "{}"), 2);
    assertCode(
        () -> s.publishVersion(candidate(s, "q3", "{}"), 2), "ServiceQuotaExceededException");
    assertThat(s.versions(M)).hasSize(2);
    // a revision already published is still answered at the quota
    assertThat(s.publishVersion(candidate(s, "q2", "{}"), 2).number()).isEqualTo(2);
    s.deleteVersion(M, 1);
    assertThat(s.publishVersion(candidate(s, "q3", "{}"), 2).number()).isEqualTo(3);
  }

  @Test
  default void aliasesRouteToKeptVersionsAndAVersionInUseCannotBeDeleted() {
    ExecutionStore s = catalogStore();
    s.publishVersion(candidate(s, "a1", "{}"), 1000);
    s.publishVersion(candidate(s, "a2", "{}"), 1000);
    StateMachineAlias prod =
        new StateMachineAlias(
            M, "prod", "live", List.of(new Route(1, 70), new Route(2, 30)), AT, AT);
    assertThat(s.createAlias(prod, 100)).isTrue();
    assertThat(s.createAlias(prod, 100)).isFalse();
    StateMachineAlias stored = s.alias(M, "prod").orElseThrow();
    assertThat(stored.routes()).containsExactly(new Route(1, 70), new Route(2, 30));
    assertThat(stored.creationDate()).isEqualTo(Instant.parse("2026-03-02T08:00:00.123Z"));
    assertThat(stored.description()).isEqualTo("live");
    assertCode(() -> s.deleteVersion(M, 2), "ConflictException");
    assertThat(s.version(M, 2)).isPresent();
    assertCode(
        () ->
            s.createAlias(
                new StateMachineAlias(M, "beta", null, List.of(new Route(7, 100)), AT, AT), 100),
        "ResourceNotFound");
    assertThat(s.alias(M, "beta")).isEmpty();
    assertCode(
        () ->
            s.createAlias(
                new StateMachineAlias(M, "x", null, List.of(new Route(1, 100)), AT, AT), 1),
        "ServiceQuotaExceededException");

    Instant later = AT.plusSeconds(60);
    StateMachineAlias moved =
        new StateMachineAlias(M, "prod", null, List.of(new Route(1, 100)), later, later);
    assertThat(s.replaceAlias(moved)).isTrue();
    StateMachineAlias after = reopenCatalogStore().alias(M, "prod").orElseThrow();
    assertThat(after.routes()).containsExactly(new Route(1, 100));
    assertThat(after.description()).isNull();
    assertThat(after.creationDate()).isEqualTo(stored.creationDate());
    assertThat(after.updateDate())
        .isEqualTo(later.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    ExecutionStore r = catalogStore();
    assertCode(
        () ->
            r.replaceAlias(
                new StateMachineAlias(M, "prod", null, List.of(new Route(5, 100)), later, later)),
        "ResourceNotFound");
    assertThat(r.alias(M, "prod").orElseThrow().routes()).containsExactly(new Route(1, 100));
    assertThat(
            r.replaceAlias(
                new StateMachineAlias(M, "none", null, List.of(new Route(1, 100)), later, later)))
        .isFalse();
    assertThat(r.deleteVersion(M, 2)).isTrue();
    assertThat(r.aliases(M)).extracting(StateMachineAlias::name).containsExactly("prod");
    assertThat(r.deleteAlias(M, "prod")).isTrue();
    assertThat(r.deleteAlias(M, "prod")).isFalse();
    assertThat(r.deleteVersion(M, 1)).isTrue();
  }

  @Test
  default void deletingAMachinesVersionsAndAliasesStartsItsNumberingAgain() {
    ExecutionStore s = catalogStore();
    s.publishVersion(candidate(s, "d1", "{}"), 1000);
    s.publishVersion(candidate(s, "d2", "{}"), 1000);
    s.createAlias(new StateMachineAlias(M, "a", null, List.of(new Route(2, 100)), AT, AT), 100);
    s.deleteVersionsAndAliases(M);
    assertThat(s.versions(M)).isEmpty();
    assertThat(s.aliases(M)).isEmpty();
    assertThat(s.publishVersion(candidate(s, "d2", "{}"), 1000).number()).isEqualTo(1);
  }

  @Test
  default void anExecutionsOriginIsWrittenOnce() {
    ExecutionStore s = catalogStore();
    String e = "arn:aws:states:us-east-1:123456789012:execution:Versioned:e1";
    s.putExecutionOrigin(e, new ExecutionOrigin(M + ":1", M + ":prod"));
    s.putExecutionOrigin(e, new ExecutionOrigin(M + ":2", null));
    s.putExecutionOrigin(e + "2", new ExecutionOrigin(M + ":2", null));
    ExecutionStore r = reopenCatalogStore();
    assertThat(r.executionOrigin(e)).contains(new ExecutionOrigin(M + ":1", M + ":prod"));
    assertThat(r.executionOrigin(e + "2")).contains(new ExecutionOrigin(M + ":2", null));
    assertThat(r.executionOrigin(e + "3")).isEmpty();
  }
}
