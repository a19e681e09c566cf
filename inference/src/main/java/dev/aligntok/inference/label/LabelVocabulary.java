package dev.aligntok.inference.label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Class labels: id ↔ name, plus synonyms that also resolve to a label (emoji short names → their
 * subcategory, "t-shirt" → "T-shirt/top", "seven" → "7"). Lives in {@code inference} because the
 * trainer writes it into model bundles and the serving side resolves prompts with it: one
 * vocabulary, both sides.
 *
 * <p>Lookups ignore case and treat runs of spaces, '_' and '-' as one space. Label names win over
 * synonyms; a synonym claimed by two different labels is ambiguous, resolves to nothing, and is
 * listed by {@link #ambiguousSynonyms()} rather than silently picking one.
 */
public final class LabelVocabulary {
  /** How many closest labels an unknown-prompt error lists. */
  public static final int SUGGESTIONS = 5;
  /** Longest text (in chars) that {@link #closest} suggests labels for and an error message quotes. */
  public static final int MAX_SUGGESTION_LENGTH = 64;
  private static final Pattern SEPARATORS = Pattern.compile("[\\s_\\-]+");

  private final List<String> names;
  private final List<List<String>> synonyms;
  private final Map<String, Integer> lookup;
  private final Set<String> ambiguous;
  /** Per label: the code points of its normalised name, then of each normalised synonym. */
  private final List<List<int[]>> keys;

  private LabelVocabulary(List<String> names, List<List<String>> synonyms, Map<String, Integer> lookup,
      Set<String> ambiguous) {
    this.names = names;
    this.synonyms = synonyms;
    this.lookup = lookup;
    this.ambiguous = ambiguous;
    List<List<int[]>> keyList = new ArrayList<>(names.size());
    for (int id = 0; id < names.size(); id++) {
      List<int[]> labelKeys = new ArrayList<>();
      labelKeys.add(normalize(names.get(id)).codePoints().toArray());
      synonyms.get(id).forEach(synonym -> labelKeys.add(normalize(synonym).codePoints().toArray()));
      keyList.add(List.copyOf(labelKeys));
    }
    this.keys = List.copyOf(keyList);
  }

  /** A vocabulary without synonyms; ids follow the list order. */
  public static LabelVocabulary of(List<String> names) {
    Builder builder = builder();
    names.forEach(builder::add);
    return builder.build();
  }

  /** A vocabulary with synonyms per label name (the shape written into bundle manifests). */
  public static LabelVocabulary of(List<String> names, Map<String, List<String>> synonymsByName) {
    Builder builder = builder();
    names.forEach(builder::add);
    synonymsByName.forEach((name, list) -> list.forEach(synonym -> builder.addSynonym(name, synonym)));
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return names.size();
  }

  /** The label names, index = id. */
  public List<String> names() {
    return names;
  }

  public String name(int id) {
    if (id < 0 || id >= names.size()) {
      throw new IllegalArgumentException("label id " + id + " is out of range 0.." + (names.size() - 1));
    }
    return names.get(id);
  }

  /**
   * The id of a label name or synonym; for anything else throws naming the text and the
   * {@value #SUGGESTIONS} {@linkplain #closest closest} labels, so a typo in a prompt is a one-look fix.
   * A text longer than {@value #MAX_SUGGESTION_LENGTH} characters is neither quoted nor matched
   * against the labels: the message gives its length only.
   */
  public int id(String nameOrSynonym) {
    if (nameOrSynonym == null) {
      throw new IllegalArgumentException("class prompt must not be null");
    }
    OptionalInt id = lookup(nameOrSynonym);
    if (id.isEmpty()) {
      if (nameOrSynonym.length() > MAX_SUGGESTION_LENGTH) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "unknown class prompt of %,d characters (no label is that long; closest labels are suggested "
                + "for prompts of up to %d characters)", nameOrSynonym.length(), MAX_SUGGESTION_LENGTH));
      }
      String why = ambiguous.contains(normalize(nameOrSynonym)) ? " (ambiguous: it names several labels)" : "";
      throw new IllegalArgumentException("unknown class prompt '" + nameOrSynonym + "'" + why + "; closest: "
          + String.join(", ", closest(nameOrSynonym, SUGGESTIONS)));
    }
    return id.getAsInt();
  }

  /**
   * The k label names nearest to {@code text}: Levenshtein distance (in code points) between
   * normalised strings, a label's distance being the smallest over its name and synonyms; ties go
   * to the lower id. Fewer than k when the vocabulary is smaller. Meant for error messages and
   * "did you mean" hints, not for resolving prompts: it answers however far the text is, but only for
   * texts of at most {@value #MAX_SUGGESTION_LENGTH} characters (longer ones get no suggestion), so
   * its cost is bounded by the vocabulary, never by the input. Distances are computed in a band that
   * narrows to the k-th best found so far, and stop early once a row exceeds it.
   */
  public List<String> closest(String text, int k) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    if (k == 0 || text.length() > MAX_SUGGESTION_LENGTH) {
      return List.of();
    }
    int[] query = normalize(text).codePoints().toArray();
    // The best k so far as {distance, id}, by distance then id; ids come in ascending order, so a
    // later label of equal distance never displaces an earlier one.
    List<int[]> best = new ArrayList<>(Math.min(k, names.size()) + 1);
    for (int id = 0; id < names.size(); id++) {
      int bound = best.size() < k ? Integer.MAX_VALUE : best.get(best.size() - 1)[0] - 1;
      int distance = Integer.MAX_VALUE;
      for (int[] key : keys.get(id)) {
        int limit = Math.min(Math.min(bound, distance - 1), Math.max(query.length, key.length));
        if (limit < 0) {
          break;
        }
        int d = levenshtein(query, key, limit);
        if (d <= limit) {
          distance = d;
        }
      }
      if (distance == Integer.MAX_VALUE) {
        continue;
      }
      int at = best.size();
      while (at > 0 && best.get(at - 1)[0] > distance) {
        at--;
      }
      best.add(at, new int[] {distance, id});
      if (best.size() > k) {
        best.remove(best.size() - 1);
      }
    }
    List<String> out = new ArrayList<>(best.size());
    best.forEach(entry -> out.add(names.get(entry[1])));
    return List.copyOf(out);
  }

  /** Edit distance (insertions, deletions, substitutions, each 1), two rows of dynamic programming. */
  static int levenshtein(int[] a, int[] b) {
    return levenshtein(a, b, Math.max(a.length, b.length));
  }

  /**
   * Edit distance if it is at most {@code limit}, otherwise {@code limit + 1}. Only the diagonal band
   * of width {@code 2 * limit + 1} is computed, and it stops at the first row whose every cell
   * exceeds the limit: at most {@code (a.length + 1) * (2 * limit + 1)} cells.
   */
  static int levenshtein(int[] a, int[] b, int limit) {
    int over = limit + 1;
    if (Math.abs(a.length - b.length) > limit) {
      return over;
    }
    int[] previous = new int[b.length + 1];
    int[] current = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      previous[j] = Math.min(j, over);
    }
    for (int i = 1; i <= a.length; i++) {
      int from = Math.max(1, i - limit);
      int to = Math.min(b.length, i + limit);
      current[0] = Math.min(i, over);
      current[from - 1] = from == 1 ? current[0] : over;
      int rowMin = current[from - 1];
      for (int j = from; j <= to; j++) {
        int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        int cell = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
        current[j] = Math.min(cell, over);
        rowMin = Math.min(rowMin, current[j]);
      }
      if (to < b.length) {
        current[to + 1] = over; // outside the band: the next row must not read a stale value here
      }
      if (rowMin > limit) {
        return over;
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return Math.min(previous[b.length], over);
  }

  /** The id of a label name or synonym, if it resolves to exactly one label. */
  public OptionalInt lookup(String nameOrSynonym) {
    if (nameOrSynonym == null) {
      return OptionalInt.empty();
    }
    Integer id = lookup.get(normalize(nameOrSynonym));
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** Synonyms registered for a label (as given, before normalisation), in insertion order. */
  public List<String> synonyms(int id) {
    name(id);
    return synonyms.get(id);
  }

  /** Synonyms per label name, for writing the vocabulary out. */
  public Map<String, List<String>> synonymsByName() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int id = 0; id < names.size(); id++) {
      if (!synonyms.get(id).isEmpty()) {
        out.put(names.get(id), synonyms.get(id));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Normalised synonyms that were claimed by more than one label and therefore resolve to nothing. */
  public Set<String> ambiguousSynonyms() {
    return ambiguous;
  }

  /** The lookup key: lower case, separators collapsed to one space, trimmed. */
  public static String normalize(String text) {
    return SEPARATORS.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
  }

  @Override
  public String toString() {
    return "LabelVocabulary[" + names.size() + " labels]";
  }

  /** Collects names (ids in order of first addition) and synonyms. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> nameIds = new LinkedHashMap<>();
    private final List<Set<String>> synonyms = new ArrayList<>();

    private Builder() {}

    /** Adds a label (or returns the id it already has). */
    public int add(String name) {
      if (name == null || normalize(name).isEmpty()) {
        throw new IllegalArgumentException("label name must not be blank, got '" + name + "'");
      }
      String key = normalize(name);
      Integer existing = nameIds.get(key);
      if (existing != null) {
        if (!names.get(existing).equals(name)) {
          throw new IllegalArgumentException("labels '" + names.get(existing) + "' and '" + name
              + "' are the same after normalisation ('" + key + "')");
        }
        return existing;
      }
      nameIds.put(key, names.size());
      names.add(name);
      synonyms.add(new LinkedHashSet<>());
      return names.size() - 1;
    }

    /** Adds a synonym for an existing label; blank synonyms are ignored. */
    public Builder addSynonym(String labelName, String synonym) {
      Integer id = nameIds.get(normalize(labelName));
      if (id == null) {
        throw new IllegalArgumentException("synonym '" + synonym + "' names unknown label '" + labelName + "'");
      }
      return addSynonym(id, synonym);
    }

    public Builder addSynonym(int id, String synonym) {
      if (id < 0 || id >= names.size()) {
        throw new IllegalArgumentException("label id " + id + " is out of range 0.." + (names.size() - 1));
      }
      if (synonym != null && !normalize(synonym).isEmpty()) {
        synonyms.get(id).add(synonym);
      }
      return this;
    }

    public LabelVocabulary build() {
      if (names.isEmpty()) {
        throw new IllegalStateException("a label vocabulary needs at least one label");
      }
      Map<String, Integer> lookup = new LinkedHashMap<>(nameIds);
      Map<String, Integer> claimedBy = new LinkedHashMap<>();
      Set<String> ambiguous = new TreeSet<>();
      for (int id = 0; id < names.size(); id++) {
        for (String synonym : synonyms.get(id)) {
          String key = normalize(synonym);
          if (nameIds.containsKey(key)) {
            continue; // a label's own name always resolves to that label
          }
          Integer previous = claimedBy.putIfAbsent(key, id);
          if (previous != null && previous != id) {
            ambiguous.add(key);
          }
        }
      }
      claimedBy.forEach((key, id) -> {
        if (!ambiguous.contains(key)) {
          lookup.put(key, id);
        }
      });
      List<List<String>> frozenSynonyms = new ArrayList<>();
      synonyms.forEach(set -> frozenSynonyms.add(List.copyOf(set)));
      return new LabelVocabulary(List.copyOf(names), List.copyOf(frozenSynonyms), Map.copyOf(lookup),
          Collections.unmodifiableSet(ambiguous));
    }
  }
}
