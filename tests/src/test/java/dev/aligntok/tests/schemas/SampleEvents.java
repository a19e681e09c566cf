package dev.aligntok.tests.schemas;

import dev.aligntok.events.CfgInterval;
import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.Latent;
import dev.aligntok.events.LatentDType;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.events.Sampler;
import dev.aligntok.schemas.EventTopic;
import dev.aligntok.schemas.EventTopics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/** One representative record per event type, with every optional field filled in. */
public final class SampleEvents {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private SampleEvents() {}

  public static SpecificRecord of(EventTopic<?> topic) {
    Class<?> type = topic.valueType();
    if (type == ImageEvent.class) {
      return image();
    } else if (type == LatentEvent.class) {
      return latentEvent(32, 16, 16);
    } else if (type == GenerationRequest.class) {
      return request();
    } else if (type == GeneratedImage.class) {
      return generated();
    } else if (type == GenerationStatus.class) {
      return status();
    } else if (type == DeadLetter.class) {
      return deadLetter();
    }
    throw new IllegalArgumentException("no sample for " + type + " — add one when adding a topic to " + EventTopics.class);
  }

  public static ImageEvent image() {
    return ImageEvent.newBuilder().setId("img-1").setData(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
        .setContentType("image/png").setLabel("grinning face").setMetadata(Map.of("source", "test"))
        .setCreatedAtMs(NOW).build();
  }

  /** A float32 latent of shape C×H×W with seeded random values. */
  public static Latent latent(int channels, int height, int width) {
    Random random = new Random(7);
    ByteBuffer data = ByteBuffer.allocate(channels * height * width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    while (data.hasRemaining()) {
      data.putFloat((float) random.nextGaussian());
    }
    data.flip();
    return Latent.newBuilder().setShape(java.util.List.of(channels, height, width)).setDtype(LatentDType.F32)
        .setData(data).build();
  }

  public static LatentEvent latentEvent(int channels, int height, int width) {
    return LatentEvent.newBuilder().setId("img-1").setBundleId("sha256:abc").setLatent(latent(channels, height, width))
        .setLabel("grinning face").setMetadata(Map.of("source", "test"))
        .setTimingsMs(Map.of("encode", 12.5, "batch", 8.0)).setProducedAtMs(NOW).build();
  }

  public static GenerationRequest request() {
    return GenerationRequest.newBuilder().setId("req-1").setPrompt("cat face").setClassId(3).setSeed(42L).setCount(4)
        .setSteps(30).setCfgScale(4.0f).setCfgInterval(new CfgInterval(0.1f, 0.9f)).setSampler(Sampler.HEUN)
        .setPriority(5).setDeadlineMs(NOW.plusSeconds(60)).setReturnLatents(true)
        .setMetadata(Map.of("user", "u1")).setCreatedAtMs(NOW).build();
  }

  public static GeneratedImage generated() {
    return GeneratedImage.newBuilder().setRequestId("req-1").setIndex(2).setCount(4)
        .setPng(ByteBuffer.wrap(new byte[] {1, 2, 3})).setWidth(64).setHeight(64).setSeed(44L).setClassId(3)
        .setClassName("cat face").setSteps(30).setCfgScale(4.0f).setBundleId("sha256:abc")
        .setLatent(latent(32, 4, 4)).setMetadata(Map.of("user", "u1")).setTimingsMs(Map.of("sample", 100.0))
        .setProducedAtMs(NOW).build();
  }

  /** An image of a free-text request as schema v3 writes it: no class, the prompt instead. */
  public static GeneratedImage freeTextGenerated() {
    return GeneratedImage.newBuilder(generated()).setClassId(null).setClassName(null)
        .setPrompt("a smiling cat wearing sunglasses").build();
  }

  public static GenerationStatus status() {
    return GenerationStatus.newBuilder().setRequestId("req-1").setState(GenerationState.FAILED).setProgress(0.5f)
        .setCompleted(2).setTotal(4).setError("decoder failed").setErrorClass("ModelError").setBundleId("sha256:abc")
        .setUpdatedAtMs(NOW).build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder().setSourceTopic("aligntok.images").setSourcePartition(0).setSourceOffset(17L)
        .setKey(ByteBuffer.wrap("img-9".getBytes())).setValue(ByteBuffer.wrap(new byte[] {9, 9, 9}))
        .setHeaders(Map.of("trace", ByteBuffer.wrap(new byte[] {1}))).setRecordId("img-9")
        .setStage(FailureStage.DECODE).setErrorClass("CorruptImage").setErrorMessage("not a PNG")
        .setFailedAtMs(NOW).setApplicationId("aligntok").build();
  }
}
