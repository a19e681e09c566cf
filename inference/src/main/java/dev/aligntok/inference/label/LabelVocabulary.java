package dev.aligntok.inference.label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
  private static final Pattern SEPARATORS = Pattern.compile("[\\s_\\-]+");

  private final List<String> names;
  private final List<List<String>> synonyms;
  private final Map<String, Integer> lookup;
  private final Set<String> ambiguous;

  private LabelVocabulary(List<String> names, List<List<String>> synonyms, Map<String, Integer> lookup,
      Set<String> ambiguous) {
    this.names = names;
    this.synonyms = synonyms;
    this.lookup = lookup;
    this.ambiguous = ambiguous;
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
   */
  public int id(String nameOrSynonym) {
    if (nameOrSynonym == null) {
      throw new IllegalArgumentException("class prompt must not be null");
    }
    OptionalInt id = lookup(nameOrSynonym);
    if (id.isEmpty()) {
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
   * "did you mean" hints, not for resolving prompts: it always answers, however far the text is.
   */
  public List<String> closest(String text, int k) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    int[] query = normalize(text).codePoints().toArray();
    int[] distance = new int[names.size()];
    List<Integer> ids = new ArrayList<>(names.size());
    for (int id = 0; id < names.size(); id++) {
      int best = levenshtein(query, normalize(names.get(id)).codePoints().toArray());
      for (String synonym : synonyms.get(id)) {
        best = Math.min(best, levenshtein(query, normalize(synonym).codePoints().toArray()));
      }
      distance[id] = best;
      ids.add(id);
    }
    ids.sort(Comparator.<Integer>comparingInt(id -> distance[id]).thenComparingInt(id -> id));
    List<String> out = new ArrayList<>(Math.min(k, ids.size()));
    for (int id : ids.subList(0, Math.min(k, ids.size()))) {
      out.add(names.get(id));
    }
    return List.copyOf(out);
  }

  /** Edit distance (insertions, deletions, substitutions, each 1), two rows of dynamic programming. */
  static int levenshtein(int[] a, int[] b) {
    int[] previous = new int[b.length + 1];
    int[] current = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      current[0] = i;
      for (int j = 1; j <= b.length; j++) {
        int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length];
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
