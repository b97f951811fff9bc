package dev.troupe.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.troupe.asl.archfixture.ImpureOnPurpose;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of ARCHITECTURE.md: the pure modules (kernel, lang-asl, bus) depend on no
 * shell module and do no IO, read no clock, draw no randomness of their own, start no threads and
 * do not log.
 */
class ArchitectureTest {
  private static final String[] PURE = {
    "dev.troupe.kernel..", "dev.troupe.asl..", "dev.troupe.bus.."
  };

  static final ArchRule PURE_DOES_NOT_USE_THE_SHELL =
      noClasses()
          .that()
          .resideInAnyPackage(PURE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.troupe.store..",
              "dev.troupe.runtime..",
              "dev.troupe.server..",
              "dev.troupe.conformance..",
              "dev.troupe.cli..",
              "dev.troupe.bench..");

  static final ArchRule PURE_HAS_NO_EFFECTS =
      noClasses()
          .that()
          .resideInAnyPackage(PURE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.nio.file..",
              "java.net..",
              "java.util.concurrent..",
              "java.util.logging..",
              "org.slf4j..",
              "java.sql..")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.io.File")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.lang.Thread")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.util.Random")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.security.SecureRandom")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.time.Clock")
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethod(System.class, "getenv", String.class)
          .orShould()
          .callMethod(java.time.Instant.class, "now")
          .orShould()
          .callMethod(java.time.LocalDateTime.class, "now")
          .orShould()
          .callMethod(java.time.OffsetDateTime.class, "now")
          .orShould()
          .callMethod(java.util.UUID.class, "randomUUID")
          .orShould()
          .callMethod(Math.class, "random")
          .orShould()
          .accessField(System.class, "out")
          .orShould()
          .accessField(System.class, "err");

  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.troupe");

  @Test
  void pureModulesDependOnNoShellModule() {
    PURE_DOES_NOT_USE_THE_SHELL.check(PRODUCTION);
  }

  @Test
  void everyPureModuleIsChecked() {
    for (String pkg : new String[] {"dev.troupe.kernel", "dev.troupe.asl", "dev.troupe.bus"}) {
      assertThat(PRODUCTION.containPackage(pkg)).as("classes of %s are imported", pkg).isTrue();
    }
  }

  @Test
  void pureModulesHaveNoEffects() {
    PURE_HAS_NO_EFFECTS.check(PRODUCTION);
  }

  @Test
  void theRulesCatchAViolation() {
    JavaClasses fixture = new ClassFileImporter().importClasses(ImpureOnPurpose.class);
    assertThatThrownBy(() -> PURE_HAS_NO_EFFECTS.check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("currentTimeMillis")
        .hasMessageContaining("java.util.Random")
        .hasMessageContaining("System.out");
    assertThatThrownBy(() -> PURE_DOES_NOT_USE_THE_SHELL.check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("InMemoryRunner");
  }
}
