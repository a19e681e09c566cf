package dev.aligntok.stream.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.schemas.registry.RegistryAuthException;
import dev.aligntok.schemas.registry.RegistryServerException;
import dev.aligntok.schemas.registry.RegistryUnavailableException;
import dev.aligntok.schemas.registry.SchemaNotFoundException;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.schemas.serde.PayloadEncodeException;
import dev.aligntok.schemas.serde.RecordSource;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/**
 * A registry outage replaces the stream thread after a growing pause (the records are read again);
 * any other escaped exception still stops the client. The exceptions are wrapped as Kafka Streams
 * hands them to the handler: a StreamsException around what the processor threw.
 */
class StreamThreadFailureHandlerTest {
  private final List<Duration> pauses = new ArrayList<>();
  private final AtomicLong now = new AtomicLong();
  private final StreamThreadFailureHandler handler = new StreamThreadFailureHandler(pauses::add, now::get);

  @Test
  void anInputWhoseWriterSchemaCannotBeFetchedReplacesTheThreadInsteadOfStoppingTheService() {
    // What PayloadReader throws when the registry does not answer: the record is fine, the registry is not.
    PayloadDecodeException decode = new PayloadDecodeException(PayloadDecodeException.Reason.REGISTRY_UNAVAILABLE,
        RecordSource.of("images", 0, 7), 12, "cannot fetch the writer schema",
        new RegistryUnavailableException("connection refused", new ConnectException("refused")));
    Throwable escaped = new StreamsException(new IllegalStateException("cannot read a ImageEvent now", decode));

    assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(escaped));
    assertEquals(List.of(StreamThreadFailureHandler.FIRST_PAUSE), pauses);
  }

  @Test
  void anOutputWhoseSchemaIdCannotBeObtainedReplacesTheThread() {
    Throwable escaped = new StreamsException(new PayloadEncodeException("cannot get a schema id for LatentEvent",
        new RegistryServerException("HTTP 503", 503, 50301)));
    assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(escaped));
  }

  @Test
  void refusedRegistryCredentialsAreAnOutageToo() {
    Throwable escaped = new StreamsException(new PayloadEncodeException("cannot get a schema id",
        new RegistryAuthException("HTTP 401", 401, 401)));
    assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(escaped));
  }

  @Test
  void pausesDoubleWhileTheOutageLastsUpToTheCapAndStartOverForANewOutage() {
    Throwable outage = new StreamsException(new RegistryUnavailableException("timeout", new IOException("timeout")));
    for (int i = 0; i < 7; i++) {
      handler.handle(outage);
      now.addAndGet(Duration.ofSeconds(5).toNanos());
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 16L, 16L), pauses.stream().map(Duration::toSeconds).toList());

    now.addAndGet(StreamThreadFailureHandler.NEW_OUTAGE_AFTER.toNanos());
    handler.handle(outage);
    assertEquals(StreamThreadFailureHandler.FIRST_PAUSE, pauses.get(pauses.size() - 1));
  }

  @Test
  void anythingElseStillShutsTheClientDownWithoutPausing() {
    assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
        handler.handle(new StreamsException(new IllegalStateException("pending store lost sequence 3"))));
    // A schema the registry answered "not found" for is the record's fault; it is dead-lettered, never retried.
    assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, handler.handle(new StreamsException(
        new PayloadEncodeException("no schema", new SchemaNotFoundException("Schema 9 not found", 404, 40403)))));
    assertEquals(List.of(), pauses);
  }
}
