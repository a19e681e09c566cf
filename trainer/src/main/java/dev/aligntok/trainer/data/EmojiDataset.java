package dev.aligntok.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.image.ImageDecodeException;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads an emoji-datasource npm package ({@code package/emoji.json} +
 * {@code package/img/<vendor>/64/*.png}) into labelled 64×64 RGB samples composited onto white.
 *
 * <p>Order follows emoji.json's {@code sort_order} (Unicode's order), so label ids come out in
 * category order. Every image is decoded once here and kept in memory (3,786 × 12 KB); entries
 * whose image is missing, unreadable or corrupt — or that the vendor does not draw — are skipped and
 * listed in the report. Sample ids are the code points ({@code 1F385-1F3FD}); skin-tone variants
 * share their base emoji's group so a split never separates them.
 */
public final class EmojiDataset {
  /** Unicode's names for the five Fitzpatrick modifiers. */
  private static final Map<String, String> SKIN_TONES = Map.of(
      "1F3FB", "light skin tone",
      "1F3FC", "medium-light skin tone",
      "1F3FD", "medium skin tone",
      "1F3FE", "medium-dark skin tone",
      "1F3FF", "dark skin tone");
  private static final int IMAGE_SIZE = 64;

  private EmojiDataset() {}

  /** The image folder of a vendor inside the package directory. */
  public static Path imageDir(Path packageDir, EmojiVendor vendor) {
    return packageDir.resolve("img").resolve(vendor.key()).resolve(Integer.toString(IMAGE_SIZE));
  }

  public static ImageDataset read(Path packageDir, EmojiOptions options, ImageDecoder decoder) {
    String name = "emoji-" + options.vendor().key();
    List<Entry> entries = entries(packageDir, options, name);
    SkippedImagesReport.Builder report = SkippedImagesReport.builder(name);
    LabelVocabulary labels = vocabulary(entries, options.labelLevel());
    Path imageDir = imageDir(packageDir, options.vendor());

    // Decoding dominates (≈1 ms an image); do it in parallel, then assemble in entry order.
    Decoded[] decoded = new Decoded[entries.size()];
    IntStream.range(0, entries.size()).parallel().forEach(i -> decoded[i] = decode(entries.get(i), imageDir, decoder));

    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      report.considered();
      if (entry.problem() != null) {
        report.skip(entry.id(), "emoji.json " + entry.source(), SkipReason.BAD_METADATA, entry.problem());
      } else if (!entry.hasVendorImage()) {
        report.skip(entry.id(), "emoji.json " + entry.source(), SkipReason.NO_VENDOR_IMAGE,
            "has_img_" + options.vendor().key() + " is false");
      } else if (decoded[i].skipped() != null) {
        SkippedImagesReport.Entry skipped = decoded[i].skipped();
        report.skip(skipped.id(), skipped.source(), skipped.reason(), skipped.detail());
      } else {
        String labelName = options.labelLevel() == LabelLevel.CATEGORY ? entry.category() : entry.subcategory();
        samples.add(new Sample(entry.id(), entry.groupId(), labels.id(labelName), labelName, entry.texts(),
            decoded[i].pixels()));
      }
    }
    return new ImageDataset(name, samples, labels, report.build());
  }

  /** An entry's pixels, or why its image cannot be used; both null when there was nothing to decode. */
  private record Decoded(InMemoryImage pixels, SkippedImagesReport.Entry skipped) {
    static Decoded skip(Entry entry, Path file, SkipReason reason, String detail) {
      return new Decoded(null, new SkippedImagesReport.Entry(entry.id(), file.toString(), reason, detail));
    }
  }

  private static Decoded decode(Entry entry, Path imageDir, ImageDecoder decoder) {
    if (entry.problem() != null || !entry.hasVendorImage()) {
      return new Decoded(null, null);
    }
    Path file = imageDir.resolve(entry.image());
    try {
      return new Decoded(InMemoryImage.of(decoder.decodeRgb(file)), null);
    } catch (NoSuchFileException e) {
      return Decoded.skip(entry, file, SkipReason.MISSING_FILE, "no such file");
    } catch (IOException e) {
      return Decoded.skip(entry, file, SkipReason.UNREADABLE_FILE, e.toString());
    } catch (ImageDecodeException e) {
      return Decoded.skip(entry, file, SkipReason.of(e.reason()), e.getMessage());
    }
  }

  /**
   * One image-to-be: a base emoji or one of its skin-tone variants.
   *
   * @param id the code points ({@code 1F44B-1F3FB}), also the sample id
   * @param groupId the base emoji's code points
   * @param texts the lower-cased name first, then the short names (with the skin tones for variants)
   * @param problem why the metadata is unusable, or null
   */
  public record Entry(String id, String groupId, String source, String image, String category, String subcategory,
      List<String> texts, boolean hasVendorImage, String problem) {}

  /** Parses emoji.json into entries, base emoji in sort order each followed by its variants. */
  public static List<Entry> entries(Path packageDir, EmojiOptions options, String datasetName) {
    Path json = packageDir.resolve("emoji.json");
    if (!Files.isRegularFile(json)) {
      throw new DataException(datasetName + ": no emoji.json in " + packageDir
          + " (expected the 'package' directory of npm " + options.vendor().npmPackage() + ")");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json.toFile());
    } catch (IOException e) {
      throw new DataException(datasetName + ": cannot parse " + json + ": " + e.getMessage(), e);
    }
    if (!root.isArray()) {
      throw new DataException(datasetName + ": " + json + " is not a JSON array of emoji");
    }
    List<JsonNode> bases = new ArrayList<>();
    root.forEach(bases::add);
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < bases.size(); i++) {
      positions.add(i);
    }
    positions.sort(Comparator.<Integer>comparingInt(i -> bases.get(i).path("sort_order").asInt(Integer.MAX_VALUE))
        .thenComparing(i -> bases.get(i).path("unified").asText("")));

    String hasImage = "has_img_" + options.vendor().key();
    List<Entry> entries = new ArrayList<>();
    for (int position : positions) {
      JsonNode node = bases.get(position);
      String source = "entry " + position;
      String unified = text(node, "unified");
      String id = unified != null ? unified : "entry-" + position;
      String problem = missingField(node, "unified", "image", "category", "subcategory");
      String name = text(node, "name");
      List<String> shortNames = strings(node.path("short_names"));
      if (shortNames.isEmpty() && text(node, "short_name") != null) {
        shortNames = List.of(text(node, "short_name"));
      }
      List<String> baseTexts = new ArrayList<>();
      if (name != null) {
        baseTexts.add(name.toLowerCase(Locale.ROOT));
      }
      baseTexts.addAll(shortNames);
      entries.add(new Entry(id, id, source, text(node, "image"), text(node, "category"), text(node, "subcategory"),
          baseTexts, node.path(hasImage).asBoolean(false), problem));

      if (!options.includeSkinTones() || problem != null) {
        continue;
      }
      Iterator<Map.Entry<String, JsonNode>> variants = node.path("skin_variations").fields();
      while (variants.hasNext()) {
        Map.Entry<String, JsonNode> variant = variants.next();
        JsonNode value = variant.getValue();
        String variantId = text(value, "unified") != null ? text(value, "unified") : id + "-" + variant.getKey();
        String variantSource = source + " skin_variations." + variant.getKey();
        String tones = skinToneText(variant.getKey());
        List<String> texts = new ArrayList<>();
        if (name != null) {
          texts.add(name.toLowerCase(Locale.ROOT) + ": " + tones);
        }
        shortNames.forEach(shortName -> texts.add(shortName + " " + tones));
        entries.add(new Entry(variantId, id, variantSource, text(value, "image"), text(node, "category"),
            text(node, "subcategory"), texts, value.path(hasImage).asBoolean(false),
            missingField(value, "image")));
      }
    }
    return entries;
  }

  /**
   * Labels in order of first appearance; synonyms are the member emoji's names and short names
   * (and, for category labels, the subcategory names).
   */
  static LabelVocabulary vocabulary(List<Entry> entries, LabelLevel level) {
    LabelVocabulary.Builder builder = LabelVocabulary.builder();
    for (Entry entry : entries) {
      if (entry.problem() != null || !entry.id().equals(entry.groupId())) {
        continue;
      }
      int id = builder.add(level == LabelLevel.CATEGORY ? entry.category() : entry.subcategory());
      if (level == LabelLevel.CATEGORY) {
        builder.addSynonym(id, entry.subcategory());
      }
      entry.texts().forEach(text -> builder.addSynonym(id, text));
    }
    return builder.build();
  }

  private static String skinToneText(String key) {
    List<String> names = new ArrayList<>();
    for (String part : key.split("-")) {
      names.add(SKIN_TONES.getOrDefault(part.toUpperCase(Locale.ROOT), "skin tone " + part));
    }
    return String.join(", ", names);
  }

  private static String missingField(JsonNode node, String... fields) {
    for (String field : fields) {
      if (text(node, field) == null) {
        return "required field '" + field + "' is missing or empty";
      }
    }
    return null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> {
      if (!value.isNull() && !value.asText().isBlank()) {
        values.add(value.asText());
      }
    });
    return values;
  }
}
