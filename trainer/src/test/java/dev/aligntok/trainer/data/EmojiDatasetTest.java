package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fake emoji-datasource package with every kind of trouble the reader must report. */
class EmojiDatasetTest {
  private static final String EMOJI_JSON = """
      [
        {"unified": "1F600", "image": "1f600.png", "name": "GRINNING FACE", "short_name": "grinning",
         "short_names": ["grinning"], "category": "Smileys & Emotion", "subcategory": "face-smiling",
         "sort_order": 1, "has_img_google": true, "has_img_twitter": true},
        {"unified": "1F44B", "image": "1f44b.png", "name": "WAVING HAND SIGN", "short_names": ["wave"],
         "category": "People & Body", "subcategory": "hand-fingers-open", "sort_order": 5,
         "has_img_google": true, "has_img_twitter": true,
         "skin_variations": {
           "1F3FB": {"unified": "1F44B-1F3FB", "image": "1f44b-1f3fb.png", "has_img_google": true},
           "1F3FF": {"unified": "1F44B-1F3FF", "image": "1f44b-1f3ff.png", "has_img_google": true}}},
        {"unified": "1F642", "image": "1f642.png", "name": "SLIGHTLY SMILING FACE", "short_names": ["slightly_smiling_face"],
         "category": "Smileys & Emotion", "subcategory": "face-smiling", "sort_order": 2, "has_img_google": true},
        {"unified": "1F643", "image": "1f643.png", "name": "UPSIDE-DOWN FACE", "short_names": ["upside_down_face"],
         "category": "Smileys & Emotion", "subcategory": "face-smiling", "sort_order": 3, "has_img_google": true},
        {"unified": "1F970", "image": "1f970.png", "name": "SMILING FACE WITH SMILING EYES AND THREE HEARTS",
         "short_names": ["smiling_face_with_3_hearts"], "category": "Smileys & Emotion",
         "subcategory": "face-affection", "sort_order": 4, "has_img_google": false},
        {"unified": "1F436", "image": "1f436.png", "name": "DOG FACE", "short_names": ["dog"],
         "subcategory": "animal-mammal", "sort_order": 6, "has_img_google": true}
      ]
      """;

  @TempDir
  Path packageDir;
  private Path images;

  @BeforeEach
  void writePackage() throws Exception {
    Files.writeString(packageDir.resolve("emoji.json"), EMOJI_JSON);
    images = EmojiDataset.imageDir(packageDir, EmojiVendor.GOOGLE);
    // Half-transparent red on a transparent background: must come out pink on white.
    TestFiles.png(images.resolve("1f600.png"), TestFiles.solid(4, 4, 0x80ff0000));
    TestFiles.png(images.resolve("1f44b.png"), TestFiles.solid(4, 4, 0xff00ff00));
    TestFiles.png(images.resolve("1f44b-1f3fb.png"), TestFiles.solid(4, 4, 0xff0000ff));
    // 1f44b-1f3ff.png is missing.
    TestFiles.corruptPng(images.resolve("1f642.png"));
    TestFiles.truncatedPng(images.resolve("1f643.png"));
    TestFiles.png(images.resolve("1f436.png"), TestFiles.solid(4, 4, 0xff000000));
  }

  @Test
  void goodImagesBecomeSamplesCompositedOntoWhite() {
    ImageDataset dataset = EmojiDataset.read(packageDir, EmojiOptions.defaults(EmojiVendor.GOOGLE), new ImageDecoder());

    assertEquals("emoji-google", dataset.name());
    assertEquals(List.of("1F600", "1F44B", "1F44B-1F3FB"), dataset.samples().stream().map(Sample::id).toList());
    Sample grinning = dataset.samples().get(0);
    assertEquals("face-smiling", grinning.labelName());
    assertEquals(List.of("grinning face", "grinning"), grinning.texts());
    // 255·128/255 + 255·127/255 = 255; 0 + 255·127/255 = 127.
    assertEquals(0xff7f7f, TestFiles.rgbAt(grinning.image().loadRgb(), 2, 2));

    Sample lightWave = dataset.samples().get(2);
    assertEquals("1F44B", lightWave.groupId());
    assertEquals("hand-fingers-open", lightWave.labelName());
    assertEquals(List.of("waving hand sign: light skin tone", "wave light skin tone"), lightWave.texts());
    assertEquals(0x0000ff, TestFiles.rgbAt(lightWave.image().loadRgb(), 0, 0));
  }

  @Test
  void everyUnusableEntryIsListedWithItsReason() throws Exception {
    ImageDataset dataset = EmojiDataset.read(packageDir, EmojiOptions.defaults(EmojiVendor.GOOGLE), new ImageDecoder());
    SkippedImagesReport report = dataset.skipped();

    assertEquals(8, report.considered());
    Map<String, SkipReason> reasons = report.entries().stream()
        .collect(Collectors.toMap(SkippedImagesReport.Entry::id, SkippedImagesReport.Entry::reason));
    assertEquals(Map.of(
        "1F44B-1F3FF", SkipReason.MISSING_FILE,
        "1F642", SkipReason.CORRUPT,
        "1F643", SkipReason.CORRUPT,
        "1F970", SkipReason.NO_VENDOR_IMAGE,
        "1F436", SkipReason.BAD_METADATA), reasons);
    assertEquals(report.considered(), dataset.size() + report.skippedCount());
    assertTrue(report.entries().stream().filter(entry -> entry.id().equals("1F436")).findFirst().orElseThrow()
        .detail().contains("'category'"));

    Path json = packageDir.resolve("reports/emoji-google-skipped.json");
    report.writeJson(json);
    JsonNode written = new ObjectMapper().readTree(json.toFile());
    assertEquals(8, written.get("considered").asInt());
    assertEquals(3, written.get("kept").asInt());
    assertEquals(5, written.get("skipped").asInt());
    assertEquals(2, written.get("skippedByReason").get("CORRUPT").asInt());
    assertEquals(5, written.get("entries").size());
    assertTrue(written.get("entries").get(0).get("source").asText().length() > 0);
  }

  @Test
  void labelsFollowTheChosenLevelAndNamesResolveToThem() {
    ImageDataset bySubcategory = EmojiDataset.read(packageDir, EmojiOptions.defaults(EmojiVendor.GOOGLE), new ImageDecoder());
    // Vocabulary is built from the metadata, so it does not depend on which images happen to be broken.
    assertEquals(List.of("face-smiling", "face-affection", "hand-fingers-open"), bySubcategory.labels().names());
    assertEquals(2, bySubcategory.labels().id("wave"));
    assertEquals(0, bySubcategory.labels().id("slightly smiling face"));

    ImageDataset byCategory = EmojiDataset.read(packageDir,
        new EmojiOptions(EmojiVendor.GOOGLE, LabelLevel.CATEGORY, false), new ImageDecoder());
    assertEquals(List.of("Smileys & Emotion", "People & Body"), byCategory.labels().names());
    assertEquals(List.of("1F600", "1F44B"), byCategory.samples().stream().map(Sample::id).toList());
    assertEquals("People & Body", byCategory.samples().get(1).labelName());
    assertEquals(0, byCategory.labels().id("face-affection"));
  }

  @Test
  void aMissingOrBrokenEmojiJsonIsAnErrorNamingThePackage() throws Exception {
    Path empty = packageDir.resolve("empty");
    Files.createDirectories(empty);
    DataException missing = assertThrows(DataException.class,
        () -> EmojiDataset.read(empty, EmojiOptions.defaults(EmojiVendor.TWITTER), new ImageDecoder()));
    assertTrue(missing.getMessage().contains("emoji-datasource-twitter"), missing.getMessage());

    Files.writeString(packageDir.resolve("emoji.json"), "{\"not\": \"a list\"}");
    assertThrows(DataException.class,
        () -> EmojiDataset.read(packageDir, EmojiOptions.defaults(EmojiVendor.GOOGLE), new ImageDecoder()));
  }
}
