package dev.troupe.asl.archfixture;

/** Breaks the purity rules on purpose, so the architecture test can show that it catches them. */
public final class ImpureOnPurpose {
  private ImpureOnPurpose() {}

  public static long clock() {
    return System.currentTimeMillis();
  }

  public static int dice() {
    return new java.util.Random().nextInt(6);
  }

  public static void shout() {
    System.out.println("pure code must not print");
  }

  public static String shell() {
    return dev.troupe.runtime.InMemoryRunner.class.getName();
  }
}
