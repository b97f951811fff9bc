package dev.troupe.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of ARCHITECTURE.md for the store: it depends on the kernel and its database
 * libraries only (never on a workflow language or the runtime), and reads no clock (time is given).
 */
class StoreArchitectureTest {
  static final ArchRule ONLY_KERNEL_AND_DATABASES =
      classes()
          .that()
          .resideInAPackage("dev.troupe.store..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "dev.troupe.store..",
              "dev.troupe.kernel..",
              "java..",
              "com.fasterxml.jackson..",
              "org.jspecify..",
              "org.sqlite..",
              "org.postgresql..",
              "org.flywaydb..");

  static final ArchRule READS_NO_CLOCK =
      noClasses()
          .that()
          .resideInAPackage("dev.troupe.store..")
          .should()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(Instant.class, "now")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.time.Clock");

  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.troupe.store");

  @Test
  void theStoreDependsOnTheKernelAndItsDatabasesOnly() {
    ONLY_KERNEL_AND_DATABASES.check(PRODUCTION);
  }

  @Test
  void theStoreReadsNoClock() {
    READS_NO_CLOCK.check(PRODUCTION);
  }

  /** A class that breaks both rules, to show that they catch it. */
  static final class Offender {
    Object broken() {
      return java.util.List.of(
          Instant.now(), new org.assertj.core.api.Condition<Object>(x -> true, "any"));
    }
  }

  @Test
  void theRulesCatchAViolation() {
    JavaClasses fixture = new ClassFileImporter().importClasses(Offender.class);
    assertThatThrownBy(() -> ONLY_KERNEL_AND_DATABASES.check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("org.assertj");
    assertThatThrownBy(() -> READS_NO_CLOCK.check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Instant.now");
  }
}
