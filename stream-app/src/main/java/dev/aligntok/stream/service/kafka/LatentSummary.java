package dev.aligntok.stream.service.kafka;

import dev.aligntok.events.LatentEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the latent lookup keeps of a LatentEvent: everything but the tensor's bytes, with the owner
 * its {@link OwnerTags tag} proves. Bounded, whatever the event held: at most {@value #MAX_DIMS}
 * dimensions, {@value #MAX_TIMINGS} timings (the first ones) and {@value #MAX_TEXT_CHARS} characters
 * per text (longer ones cut), so a record stays under about 20 KB.
 *
 * @param owner null when the latent has no proven owner (written to Kafka directly: admins only)
 */
public record LatentSummary(String id, List<Integer> shape, String dtype, String bundleId, String label,
                            Map<String, Double> timingsMs, long producedAtMs, String owner) {
  static final int MAX_DIMS = 8;
  static final int MAX_TIMINGS = 16;
  static final int MAX_TEXT_CHARS = 256;
  private static final byte FORMAT = 1;

  public LatentSummary {
    shape = List.copyOf(shape.subList(0, Math.min(shape.size(), MAX_DIMS)));
    id = cut(id);
    dtype = cut(dtype);
    bundleId = cut(bundleId);
    label = cut(label);
    owner = cut(owner);
    Map<String, Double> kept = new LinkedHashMap<>();
    timingsMs.forEach((name, ms) -> {
      if (kept.size() < MAX_TIMINGS && name != null && ms != null) {
        kept.put(cut(name), ms);
      }
    });
    timingsMs = Collections.unmodifiableMap(kept);
  }

  static LatentSummary of(LatentEvent event, String owner) {
    return new LatentSummary(event.getId(), event.getLatent().getShape(), event.getLatent().getDtype().name(),
        event.getBundleId(), event.getLabel(), event.getTimingsMs(), event.getProducedAtMs().toEpochMilli(), owner);
  }

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(id);
      out.writeByte(shape.size());
      for (int dim : shape) {
        out.writeInt(dim);
      }
      out.writeUTF(dtype);
      out.writeUTF(bundleId);
      writeNullable(out, label);
      out.writeByte(timingsMs.size());
      for (Map.Entry<String, Double> timing : timingsMs.entrySet()) {
        out.writeUTF(timing.getKey());
        out.writeDouble(timing.getValue());
      }
      out.writeLong(producedAtMs);
      writeNullable(out, owner);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads what {@link #toBytes()} wrote. */
  public static LatentSummary fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("stored latent summary has format " + format + ", this version reads " + FORMAT);
      }
      String id = in.readUTF();
      List<Integer> shape = new ArrayList<>();
      for (int n = in.readByte(), i = 0; i < n; i++) {
        shape.add(in.readInt());
      }
      String dtype = in.readUTF();
      String bundleId = in.readUTF();
      String label = readNullable(in);
      Map<String, Double> timings = new LinkedHashMap<>();
      for (int n = in.readByte(), i = 0; i < n; i++) {
        timings.put(in.readUTF(), in.readDouble());
      }
      long producedAtMs = in.readLong();
      return new LatentSummary(id, shape, dtype, bundleId, label, timings, producedAtMs, readNullable(in));
    } catch (IOException e) {
      throw new UncheckedIOException("stored latent summary is truncated", e);
    }
  }

  private static void writeNullable(DataOutputStream out, String text) throws IOException {
    out.writeBoolean(text != null);
    if (text != null) {
      out.writeUTF(text);
    }
  }

  private static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS);
  }
}
