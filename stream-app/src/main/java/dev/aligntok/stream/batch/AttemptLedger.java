package dev.aligntok.stream.batch;

import dev.aligntok.inference.io.Sha256;
import dev.aligntok.stream.records.InputRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How often each queued record's batch has failed, kept in a small file of its own, outside the
 * Kafka transaction: a run that kills the process (OOM, native crash, {@code kill -9}) rolls back
 * everything in the transaction, but not this. Written and forced to disk before every batch runs
 * ({@link #begin}) as if the run will fail; a run that ends normally removes its records again
 * ({@link #finished}, not forced: losing that write over-counts by one, never under-counts).
 *
 * <p>A record is known by its source partition and offset, which a replay after a crash keeps (by
 * its queue sequence and id when the offset is unknown). A torn or unreadable file is ignored with a
 * warning: counting restarts from zero, which can only delay a quarantine, never cause one.
 */
final class AttemptLedger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptLedger.class);
  private static final String HEADER = "# aligntok batch attempts v1";
  private static final String CRC_PREFIX = "crc32=";
  /** Longest failure text kept per record; messages are for people and must not grow the file. */
  static final int MAX_FAILURE_CHARS = 300;
  static final String DIED_MID_BATCH = "the process ended while the batch ran (killed, out of memory or a native crash)";

  /**
   * @param failures      failed runs of a batch holding the record
   * @param aloneFailures of those, runs in which it was alone
   * @param lastBatchSize records in the last failed batch holding it; 0 when it last failed at admission
   * @param running       a run was under way when this was written (true on disk while it runs)
   * @param lastFailure   why the last run failed, bounded; empty when unknown
   */
  record Attempts(int failures, int aloneFailures, int lastBatchSize, boolean running, String lastFailure) {
    static final Attempts NONE = new Attempts(0, 0, 0, false, "");
  }

  private final Path file;
  private final Map<String, Attempts> byKey = new LinkedHashMap<>();
  private FileChannel channel;
  private boolean fileHasEntries;

  private AttemptLedger(Path file) {
    this.file = file;
  }

  /** A ledger kept in memory only (no state directory, as in some unit tests). */
  static AttemptLedger inMemory() {
    return new AttemptLedger(null);
  }

  /** Opens (or creates) the ledger at {@code file}, reading what a previous process left there. */
  static AttemptLedger open(Path file) {
    AttemptLedger ledger = new AttemptLedger(file);
    try {
      Files.createDirectories(file.getParent());
      if (Files.exists(file)) {
        ledger.fileHasEntries = Files.size(file) > 0;
        ledger.load(Files.readString(file, StandardCharsets.UTF_8));
      }
      ledger.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the batch attempt ledger " + file + ": " + e.getMessage(), e);
    }
    if (!ledger.byKey.isEmpty()) {
      LOG.warn("batch attempt ledger {}: {} queued records have failed batch runs before: {}", file,
          ledger.byKey.size(), ledger.byKey);
    }
    return ledger;
  }

  /** Identity of a queued record that survives a replay. */
  static String keyOf(PendingRecord record) {
    InputRecord input = record.input();
    if (input.partition() >= 0 && input.offset() >= 0) {
      return "p" + input.partition() + "@" + input.offset();
    }
    return "s" + record.entry().sequence() + ":" + Sha256.of(record.entry().recordId()).substring(0, 16);
  }

  Attempts of(PendingRecord record) {
    return byKey.getOrDefault(keyOf(record), Attempts.NONE);
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  /**
   * Counts a run of {@code batch} as failed before it starts, durably: if the process dies during the
   * run, this is what the next one finds. Returns what it replaced, for {@link #undo}.
   */
  Map<String, Attempts> begin(List<PendingRecord> batch) {
    Map<String, Attempts> before = new HashMap<>();
    int size = batch.size();
    for (PendingRecord record : batch) {
      String key = keyOf(record);
      Attempts was = byKey.getOrDefault(key, Attempts.NONE);
      before.put(key, was);
      byKey.put(key, new Attempts(was.failures() + 1, was.aloneFailures() + (size == 1 ? 1 : 0), size, true,
          was.lastFailure()));
    }
    write(true);
    return before;
  }

  /**
   * Admitting {@code record} threw for {@code reason}: counted as a failure of it alone, with batch
   * size 0 (it failed before any batch), durably, before the task fails.
   */
  void admissionFailed(PendingRecord record, String reason) {
    Attempts was = byKey.getOrDefault(keyOf(record), Attempts.NONE);
    byKey.put(keyOf(record), new Attempts(was.failures() + 1, was.aloneFailures() + 1, 0, false,
        bounded("admitting it: " + reason)));
    write(true);
  }

  /** The run of {@code batch} failed for {@code reason} (already counted by {@link #begin}). */
  void failed(List<PendingRecord> batch, String reason) {
    String bounded = bounded(reason);
    for (PendingRecord record : batch) {
      byKey.computeIfPresent(keyOf(record), (key, a) ->
          new Attempts(a.failures(), a.aloneFailures(), a.lastBatchSize(), false, bounded));
    }
    write(true);
  }

  /** The run did not count (a failure that is not the records', such as the registry out of reach). */
  void undo(Map<String, Attempts> before) {
    before.forEach((key, was) -> {
      if (was.failures() == 0) {
        byKey.remove(key);
      } else {
        byKey.put(key, was);
      }
    });
    write(true);
  }

  /** These records left the queue (ran, retired, quarantined): forget them. */
  void finished(Collection<PendingRecord> records) {
    boolean changed = false;
    for (PendingRecord record : records) {
      changed |= byKey.remove(keyOf(record)) != null;
    }
    if (changed) {
      write(false);
    }
  }

  /**
   * Forgets records this task consumed before {@code firstOffset} that are no longer queued: a
   * finished run whose unforced removal a crash lost. Only records with a known offset.
   */
  void forgetConsumedBefore(int partition, long firstOffset, Set<String> queuedKeys) {
    String prefix = "p" + partition + "@";
    boolean changed = byKey.keySet().removeIf(key -> key.startsWith(prefix) && !queuedKeys.contains(key)
        && Long.parseLong(key.substring(prefix.length())) < firstOffset);
    if (changed) {
      write(false);
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.warn("closing the batch attempt ledger {} failed: {}", file, e.getMessage());
      }
    }
  }

  private void write(boolean force) {
    if (channel == null) {
      return;
    }
    if (byKey.isEmpty() && !fileHasEntries) {
      return;
    }
    try {
      byte[] bytes = byKey.isEmpty() ? new byte[0] : render().getBytes(StandardCharsets.UTF_8);
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      long position = 0;
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      channel.truncate(bytes.length);
      if (force) {
        channel.force(false);
      }
      fileHasEntries = bytes.length > 0;
    } catch (IOException e) {
      // Without the ledger a crashing batch could loop; better to fail the task loudly than to run it uncounted.
      throw new UncheckedIOException("cannot write the batch attempt ledger " + file + ": " + e.getMessage(), e);
    }
  }

  private String render() {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    byKey.forEach((key, a) -> text.append(key).append('\t').append(a.failures()).append('\t')
        .append(a.aloneFailures()).append('\t').append(a.lastBatchSize()).append('\t').append(a.running() ? 1 : 0)
        .append('\t').append(a.lastFailure()).append('\n'));
    String crc = Long.toHexString(crc(text.toString()));
    return text.append(CRC_PREFIX).append(crc).append('\n').toString();
  }

  private void load(String text) {
    if (text.isEmpty()) {
      return;
    }
    int crcAt = text.lastIndexOf(CRC_PREFIX);
    try {
      if (!text.startsWith(HEADER) || crcAt < 0
          || Long.parseLong(text.substring(crcAt + CRC_PREFIX.length()).strip(), 16) != crc(text.substring(0, crcAt))) {
        LOG.warn("batch attempt ledger {} is torn or not ours; counting attempts from zero", file);
        return;
      }
      for (String line : text.substring(0, crcAt).split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", 6);
        boolean running = "1".equals(f[4]);
        // Found "running": the process that wrote it died during the run.
        String failure = running ? DIED_MID_BATCH : f[5];
        byKey.put(f[0], new Attempts(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), false,
            failure));
      }
    } catch (RuntimeException e) {
      byKey.clear();
      LOG.warn("batch attempt ledger {} cannot be read ({}); counting attempts from zero", file, e.toString());
    }
  }

  private static long crc(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  /** One line, at most {@link #MAX_FAILURE_CHARS}. */
  static String bounded(String text) {
    String line = text == null ? "" : text.replaceAll("[\\t\\r\\n]+", " ");
    return line.length() <= MAX_FAILURE_CHARS ? line : line.substring(0, MAX_FAILURE_CHARS - 1) + "…";
  }
}
