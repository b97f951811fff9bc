package dev.troupe.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The queue service translates protocols like the rest of the server: its wire classes ({@code
 * SqsApi}, {@code SqsQuery}) do not touch the store (only {@code SqsService} and the attribute
 * checks it uses do), nothing in it knows Helidon or the workflow runtime.
 */
class QueuesArchitectureTest {
  private static final JavaClasses SQS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.troupe.server.sqs");

  static final ArchRule WIRE_KNOWS_NO_STORE =
      noClasses()
          .that()
          .haveSimpleNameStartingWith("SqsApi")
          .or()
          .haveSimpleNameStartingWith("SqsQuery")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.troupe.store..");

  static final ArchRule NO_HELIDON_NOR_RUNTIME =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.helidon..", "dev.troupe.runtime..", "dev.troupe.server.sfn..");

  @Test
  void theWireKnowsNoStore() {
    WIRE_KNOWS_NO_STORE.check(SQS);
  }

  @Test
  void noHelidonNorRuntime() {
    NO_HELIDON_NOR_RUNTIME.check(SQS);
  }
}
