package dev.aligntok.trainer.diffusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.trainer.captions.CaptionOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@value #FILE} in a text DiT's run directory: which captions it trains on, so a resumed run can
 * refuse other ones and {@code eval generation} can rebuild the same held-out prompts.
 *
 * @param dataset the emoji dataset the captions come from ({@code emoji-google})
 * @param splitSeed {@link CaptionOptions#splitSeed()}
 * @param heldOutShare {@link CaptionOptions#heldOutShare()}
 * @param templates {@link CaptionOptions#templates()}'s key; null in records written before it existed,
 *     which all used {@code one}
 * @param keywords {@link CaptionOptions#keywords()}'s key; null in records written before it existed,
 *     which all used {@code emojilib}
 * @param drawSeed seeds the per-step caption draw (the training seed)
 * @param captions distinct captions embedded for the training images
 * @param textEncoder Maven coordinates of the text encoder
 * @param textEncoderModelSha256 SHA-256 of its model
 */
public record CaptionRecord(String dataset, long splitSeed, double heldOutShare, String templates, String keywords,
    long drawSeed, int captions, String textEncoder, String textEncoderModelSha256) {
  public static final String FILE = "captions.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public CaptionOptions options() {
    try {
      return new CaptionOptions(splitSeed, heldOutShare,
          templates == null ? CaptionOptions.TemplateUse.ONE : CaptionOptions.TemplateUse.ofKey(templates),
          keywords == null ? CaptionOptions.KeywordSource.EMOJILIB : CaptionOptions.KeywordSource.ofKey(keywords));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(FILE + ": " + e.getMessage(), e);
    }
  }

  /** The record of the run in {@code runDirectory}, empty when there is none (a class DiT). */
  public static Optional<CaptionRecord> read(Path runDirectory) {
    Path file = runDirectory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), CaptionRecord.class));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public void write(Path runDirectory) {
    try {
      Files.createDirectories(runDirectory);
      JSON.writeValue(runDirectory.resolve(FILE).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + runDirectory.resolve(FILE), e);
    }
  }

  /** Whether a run with this record can resume as {@code other} (same captions, draws and encoder). */
  public boolean sameCaptions(CaptionRecord other) {
    return dataset.equals(other.dataset) && splitSeed == other.splitSeed && heldOutShare == other.heldOutShare
        && options().equals(other.options()) && drawSeed == other.drawSeed && textEncoderModelSha256.equals(other.textEncoderModelSha256);
  }
}
