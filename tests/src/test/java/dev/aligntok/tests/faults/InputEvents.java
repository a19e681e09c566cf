package dev.aligntok.tests.faults;

import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.stream.output.EventSerdes;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Inputs as a client would write them: events through the project's Avro serde, keyed by id; noise PNGs. */
final class InputEvents {
  private InputEvents() {}

  @SuppressWarnings("unchecked")
  static <T extends SpecificRecord> byte[] serialize(EventSerdes serdes, String topic, T event) {
    return serdes.serde((Class<T>) event.getClass()).serializer().serialize(topic, event);
  }

  static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** A PNG of random pixels (incompressible, so its size grows with its area). */
  static byte[] noisePng(int width, int height, SplittableRandom random) {
    return ImageTensors.toPng(noiseImage(width, height, random));
  }

  /** Random RGB pixels, for encoding in any format. */
  static BufferedImage noiseImage(int width, int height, SplittableRandom random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }
}
