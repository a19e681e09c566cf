package dev.aligntok.stream.logging;

/**
 * The root log level {@code logback.xml} reads from {@value #VARIABLE} (a system property or an
 * environment variable; INFO when neither is set).
 */
public final class LogLevel {
  public static final String VARIABLE = "ALIGNTOK_LOG_LEVEL";

  private LogLevel() {}

  /** For command-line tools: {@code level} unless the user chose one. Call before the first logger is created. */
  public static void defaultTo(String level) {
    if (System.getProperty(VARIABLE) == null && System.getenv(VARIABLE) == null) {
      System.setProperty(VARIABLE, level);
    }
  }
}
