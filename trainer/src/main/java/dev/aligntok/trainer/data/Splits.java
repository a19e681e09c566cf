package dev.aligntok.trainer.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Deterministic, seeded train/validation splits.
 *
 * <p>Each split group ({@link Sample#groupId()}) gets the hash of (seed, group id); the groups with
 * the smallest hashes, round(fraction × groups) of them, form the validation set. Membership
 * therefore depends only on the ids and the seed: reordering the input, or reading it on another
 * machine, gives the same split, and adding a few samples moves only those. Groups keep an emoji
 * and its skin-tone variants together, so validation never sees a recoloured training image. Each
 * output keeps the input order.
 */
public final class Splits {
  /** The two sides of a split. */
  public record Split(List<Sample> train, List<Sample> validation) {
    public Split {
      train = List.copyOf(train);
      validation = List.copyOf(validation);
    }
  }

  private Splits() {}

  public static Split split(List<Sample> samples, double validationFraction, long seed) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
    }
    Map<String, Long> groupHashes = new LinkedHashMap<>();
    for (Sample sample : samples) {
      groupHashes.computeIfAbsent(sample.groupId(), group -> StableHash.of(seed, group));
    }
    int validationGroups = (int) Math.round(validationFraction * groupHashes.size());
    Set<String> validation = groupHashes.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Long::compareUnsigned).thenComparing(Map.Entry.comparingByKey()))
        .limit(validationGroups)
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());

    List<Sample> train = new ArrayList<>();
    List<Sample> held = new ArrayList<>();
    for (Sample sample : samples) {
      (validation.contains(sample.groupId()) ? held : train).add(sample);
    }
    return new Split(train, held);
  }

  /** Samples ordered by the hash of (seed, epoch, id): a shuffle that ignores input order. */
  public static List<Sample> shuffled(List<Sample> samples, long seed, int epoch) {
    record Keyed(long key, Sample sample) {}
    return samples.stream()
        .map(sample -> new Keyed(StableHash.of(seed, epoch, sample.id()), sample))
        .sorted(Comparator.<Keyed>comparingLong(Keyed::key).thenComparing(keyed -> keyed.sample().id()))
        .map(Keyed::sample)
        .collect(Collectors.toList());
  }

  /**
   * A seeded subset of {@code count} samples, in {@link #shuffled} order (epoch 0); all of them, in
   * input order, when {@code count} is 0 or at least their number.
   */
  public static List<Sample> subset(List<Sample> samples, int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("a subset needs a count >= 0, got " + count);
    }
    return count == 0 || count >= samples.size() ? samples : shuffled(samples, seed, 0).subList(0, count);
  }
}
