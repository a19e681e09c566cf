package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SplitsTest {
  static List<Sample> samples(int count) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      samples.add(new Sample("s" + i, null, i % 3, "c" + (i % 3), List.of(),
          () -> new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)));
    }
    return samples;
  }

  @Test
  void membershipDependsOnIdsAndSeedNotOnInputOrder() {
    List<Sample> samples = samples(200);
    List<Sample> reordered = new ArrayList<>(samples);
    Collections.shuffle(reordered, new Random(3));

    Splits.Split split = Splits.split(samples, 0.2, 42);
    Splits.Split again = Splits.split(reordered, 0.2, 42);
    assertEquals(ids(split.validation()), ids(again.validation()));
    assertEquals(40, split.validation().size());
    assertEquals(160, split.train().size());
    Set<String> all = new HashSet<>(ids(split.train()));
    all.addAll(ids(split.validation()));
    assertEquals(200, all.size());

    assertNotEquals(ids(split.validation()), ids(Splits.split(samples, 0.2, 43).validation()));
  }

  @Test
  void outputsKeepInputOrder() {
    List<Sample> samples = samples(50);
    Splits.Split split = Splits.split(samples, 0.3, 1);
    List<Integer> positions = split.train().stream().map(samples::indexOf).toList();
    assertEquals(positions.stream().sorted().toList(), positions);
  }

  @Test
  void groupsStayTogether() {
    List<Sample> samples = new ArrayList<>();
    for (int group = 0; group < 40; group++) {
      for (int variant = 0; variant < 3; variant++) {
        samples.add(new Sample("g" + group + "-" + variant, "g" + group, 0, "x", List.of(),
            () -> new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)));
      }
    }
    Splits.Split split = Splits.split(samples, 0.25, 7);
    assertEquals(30, split.validation().size()); // 10 of 40 groups, 3 samples each
    Set<String> trainGroups = split.train().stream().map(Sample::groupId).collect(Collectors.toSet());
    assertTrue(split.validation().stream().noneMatch(sample -> trainGroups.contains(sample.groupId())));
  }

  @Test
  void shuffleIsSeededPerEpochAndIgnoresInputOrder() {
    List<Sample> samples = samples(30);
    List<Sample> reversed = new ArrayList<>(samples);
    Collections.reverse(reversed);
    assertEquals(order(Splits.shuffled(samples, 5, 0)), order(Splits.shuffled(reversed, 5, 0)));
    assertNotEquals(order(Splits.shuffled(samples, 5, 0)), order(Splits.shuffled(samples, 5, 1)));
    assertNotEquals(order(samples), order(Splits.shuffled(samples, 5, 0)));
    assertEquals(ids(samples), ids(Splits.shuffled(samples, 5, 0)));
  }

  @Test
  void subsetIsSeededAndZeroOrTooManyMeansAll() {
    List<Sample> samples = samples(30);
    List<Sample> ten = Splits.subset(samples, 10, 5);
    assertEquals(10, ten.size());
    assertEquals(10, new HashSet<>(ids(ten)).size(), "no sample twice");
    assertEquals(order(ten), order(Splits.subset(samples, 10, 5)));
    assertNotEquals(ids(ten), ids(Splits.subset(samples, 10, 6)));
    assertEquals(order(ten).subList(0, 4), order(Splits.subset(samples, 4, 5)), "a smaller subset is a prefix of a larger");
    assertEquals(samples, Splits.subset(samples, 0, 5));
    assertEquals(samples, Splits.subset(samples, 30, 5));
    assertEquals(samples, Splits.subset(samples, 31, 5));
    assertThrows(IllegalArgumentException.class, () -> Splits.subset(samples, -1, 5));
  }

  @Test
  void fractionMustBeBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> Splits.split(samples(3), 1.0, 0));
    assertThrows(IllegalArgumentException.class, () -> Splits.split(samples(3), -0.1, 0));
    assertEquals(0, Splits.split(samples(3), 0.0, 0).validation().size());
  }

  @Test
  void hashIsFixedAcrossReleases() {
    // Pinned values: changing StableHash would silently change every split and shuffle.
    assertEquals(2563860319370293053L, StableHash.of(42, "1F600"));
    assertEquals(0.0, StableHash.unit(0));
  }

  private static List<String> order(List<Sample> samples) {
    return samples.stream().map(Sample::id).collect(Collectors.toList());
  }

  /** Ids as a sorted list: membership, ignoring order. */
  private static List<String> ids(List<Sample> samples) {
    return samples.stream().map(Sample::id).sorted().collect(Collectors.toList());
  }
}
