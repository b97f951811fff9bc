package dev.troupe.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The server only translates protocols: the wire protocol and authentication know nothing of the
 * runtime or the store, and of the Step Functions classes only the application services ({@code
 * StepFunctionsService}, {@code ExpressService}, {@code ActivityService}: names ending in {@code
 * Service}) use the durable runtime and the store (the server wires them together).
 */
class ServerArchitectureTest {
  private static final JavaClasses SERVER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.troupe.server");

  static final ArchRule PROTOCOL_AND_AUTH_KNOW_NO_ENGINE =
      noClasses()
          .that()
          .resideInAnyPackage("dev.troupe.server.protocol..", "dev.troupe.server.auth..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.troupe.runtime..", "dev.troupe.store..", "dev.troupe.server.sfn..");

  static final ArchRule ONE_APPLICATION_SERVICE_USES_THE_RUNTIME =
      noClasses()
          .that()
          .resideInAPackage("dev.troupe.server.sfn..")
          .and()
          .haveSimpleNameNotEndingWith("Service")
          .and()
          .doNotHaveSimpleName("ActivityService")
          .and()
          .areNotNestedClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.troupe.runtime..");

  static final ArchRule HELIDON_ONLY_IN_THE_SERVER_SHELL =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.troupe.server.sfn..",
              "dev.troupe.server.lambda..",
              "dev.troupe.server.protocol..",
              "dev.troupe.server.auth..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.helidon..");

  @Test
  void protocolAndAuthKnowNoEngine() {
    PROTOCOL_AND_AUTH_KNOW_NO_ENGINE.check(SERVER);
  }

  @Test
  void oneApplicationServiceUsesTheRuntime() {
    ONE_APPLICATION_SERVICE_USES_THE_RUNTIME.check(SERVER);
  }

  @Test
  void helidonOnlyInTheServerShell() {
    HELIDON_ONLY_IN_THE_SERVER_SHELL.check(SERVER);
  }
}
