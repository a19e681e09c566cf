package dev.aligntok.stream.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {
  @Test
  void scopesNestAndRestoreTheIdBefore() {
    assertNull(MDC.get(LogContext.REQUEST_ID));
    try (LogContext.Scope outer = LogContext.requestId("req-1")) {
      try (LogContext.Scope inner = LogContext.requestId("img-2")) {
        assertEquals("img-2", MDC.get(LogContext.REQUEST_ID));
      }
      assertEquals("req-1", MDC.get(LogContext.REQUEST_ID));
      try (LogContext.Scope none = LogContext.requestId(null)) {
        assertNull(MDC.get(LogContext.REQUEST_ID));
      }
      assertEquals("req-1", MDC.get(LogContext.REQUEST_ID));
    }
    assertNull(MDC.get(LogContext.REQUEST_ID));
  }

  @Test
  void aBatchNamesItsFirstIdsAndCountsTheRest() {
    try (LogContext.Scope small = LogContext.batch(List.of("a", "b"))) {
      assertEquals("a,b", MDC.get(LogContext.REQUEST_ID));
    }
    List<String> ids = IntStream.range(0, 11).mapToObj(i -> "r" + i).toList();
    try (LogContext.Scope large = LogContext.batch(ids)) {
      assertEquals("r0,r1,r2,r3,r4,r5,r6,r7,+3 more", MDC.get(LogContext.REQUEST_ID));
    }
  }

  /** The shipped logback.xml (not the tests' configuration) prints the id on every line. */
  @Test
  void theServicesLogPatternPrintsTheRequestId() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback.xml"));
    try {
      Appender<ILoggingEvent> console = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
      Encoder<ILoggingEvent> encoder = ((ConsoleAppender<ILoggingEvent>) console).getEncoder();
      Logger logger = context.getLogger("dev.aligntok.test");
      LoggingEvent withId = new LoggingEvent(Logger.FQCN, logger, Level.WARN, "dead-lettering img-7", null, null);
      withId.setMDCPropertyMap(Map.of(LogContext.REQUEST_ID, "img-7"));
      LoggingEvent without = new LoggingEvent(Logger.FQCN, logger, Level.INFO, "started", null, null);
      without.setMDCPropertyMap(Map.of());
      String line = new String(encoder.encode(withId), StandardCharsets.UTF_8);
      assertTrue(line.contains("WARN") && line.contains("requestId=img-7 - dead-lettering img-7"), line);
      String plain = new String(encoder.encode(without), StandardCharsets.UTF_8);
      assertTrue(plain.contains("requestId=- - started"), plain);
    } finally {
      context.stop();
    }
  }
}
