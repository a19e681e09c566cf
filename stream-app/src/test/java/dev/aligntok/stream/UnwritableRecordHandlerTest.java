package dev.aligntok.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.stream.batch.BatchObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.ProductionExceptionHandlerResponse;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** Skips and counts only what a record itself causes; infrastructure failures still fail. */
class UnwritableRecordHandlerTest {
  private final List<String> dropped = new ArrayList<>();
  private final UnwritableRecordHandler handler = new UnwritableRecordHandler();
  private final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("aligntok.dlq", new byte[3], new byte[5]);

  UnwritableRecordHandlerTest() {
    handler.configure(Map.of(BatchObserver.CONFIG_KEY, new BatchObserver() {
      @Override
      public void outputDropped(String topic) {
        dropped.add(topic);
      }
    }));
  }

  @Test
  void aRecordTooLargeIsSkippedAndCounted() {
    assertEquals(ProductionExceptionHandlerResponse.CONTINUE,
        handler.handle(CONTEXT, record, new RecordTooLargeException("1,200,390 bytes")));
    assertEquals(List.of("aligntok.dlq"), dropped);
  }

  @Test
  void aRecordItsSerializerCannotWriteIsSkippedAndCounted() {
    assertEquals(ProductionExceptionHandlerResponse.CONTINUE, handler.handleSerializationException(CONTEXT,
        new ProducerRecord<>("aligntok.status", "k", "v"), new SerializationException("bad"), SerializationExceptionOrigin.VALUE));
    assertEquals(List.of("aligntok.status"), dropped);
  }

  @Test
  void infrastructureFailuresStillFail() {
    for (Exception e : List.of(new TimeoutException("broker slow"), new AuthorizationException("denied"),
        new ProducerFencedException("fenced"))) {
      assertEquals(ProductionExceptionHandlerResponse.FAIL, handler.handle(CONTEXT, record, e), e.toString());
    }
    assertEquals(List.of(), dropped);
  }

  private static final ErrorHandlerContext CONTEXT = new ErrorHandlerContext() {
    @Override
    public String topic() {
      return "aligntok.prompts";
    }

    @Override
    public int partition() {
      return 0;
    }

    @Override
    public long offset() {
      return 42L;
    }

    @Override
    public Headers headers() {
      return new RecordHeaders();
    }

    @Override
    public String processorNodeId() {
      return "generate";
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 0);
    }

    @Override
    public long timestamp() {
      return 0L;
    }

    @Override
    public byte[] sourceRawKey() {
      return null;
    }

    @Override
    public byte[] sourceRawValue() {
      return null;
    }
  };
}
