package dev.aligntok.trainer.diffusion;

import dev.aligntok.trainer.captions.CaptionEmbeddings;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.latents.LatentSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@link ConditionSource} of a text DiT trained on emoji latents: latent row r is the image
 * {@link LatentSet#sourceId(int) sourceId(r)} (its flipped twin shares the row, so the captions),
 * and its condition at step s is the embedding of the caption {@link CaptionSet#draw(String, long, long)}
 * picks for (seed, s, image) — a pure function of (step, row), so a resumed run continues bit-identically.
 * The null condition is the empty prompt's embedding.
 */
public final class CaptionConditions implements ConditionSource {
  /** Ids named in an error about images without captions, at most. */
  private static final int MAX_NAMED = 5;

  private final CaptionSet captions;
  private final CaptionEmbeddings embeddings;
  private final String[] imageIds;
  private final int[] embeddingRow;
  private final long seed;

  /**
   * @param imageIds   the image id of each training row, in row order
   * @param embeddings embeddings of at least every caption of those images ({@link #captionsOf})
   * @param seed       seeds the per-step caption draw
   */
  public CaptionConditions(CaptionSet captions, List<String> imageIds, CaptionEmbeddings embeddings, long seed) {
    this.captions = captions;
    this.embeddings = embeddings;
    this.imageIds = imageIds.toArray(String[]::new);
    this.seed = seed;
    this.embeddingRow = new int[captions.trainingCaptions().size()];
    Arrays.fill(embeddingRow, -1);
    for (int row = 0; row < embeddings.captions().size(); row++) {
      int index = captions.indexOf(embeddings.captions().get(row)).orElse(-1);
      if (index >= 0) {
        embeddingRow[index] = row;
      }
    }
    for (int index : usedCaptions(captions, imageIds)) {
      if (embeddingRow[index] < 0) {
        throw new IllegalArgumentException("the caption embeddings lack caption " + index + " of the training images");
      }
    }
  }

  /** The image ids of a latent set's rows, in row order. */
  public static List<String> imageIds(LatentSet set) {
    List<String> ids = new ArrayList<>(set.count());
    for (int row = 0; row < set.count(); row++) {
      ids.add(set.sourceId(row));
    }
    return ids;
  }

  /**
   * The distinct captions of {@code imageIds}, in the caption set's order: what to embed for them.
   *
   * @throws IllegalArgumentException naming (a few of) the images that have no captions
   */
  public static List<String> captionsOf(CaptionSet captions, List<String> imageIds) {
    return usedCaptions(captions, imageIds).stream().map(captions::caption).toList();
  }

  private static TreeSet<Integer> usedCaptions(CaptionSet captions, List<String> imageIds) {
    TreeSet<Integer> used = new TreeSet<>();
    List<String> missing = new ArrayList<>();
    int missingCount = 0;
    for (String id : imageIds) {
      try {
        used.addAll(captions.of(id).captions());
      } catch (IllegalArgumentException e) {
        if (missingCount++ < MAX_NAMED) {
          missing.add(id.length() <= 32 ? id : id.substring(0, 32) + "…");
        }
      }
    }
    if (missingCount > 0) {
      throw new IllegalArgumentException(missingCount + " of " + imageIds.size() + " training images have no captions"
          + " (e.g. " + missing + "); text conditioning needs latents of the emoji dataset the captions come from");
    }
    return used;
  }

  @Override
  public int width() {
    return embeddings.dimension();
  }

  @Override
  public float[] nullCondition() {
    return embeddings.nullVector();
  }

  @Override
  public float[] condition(long step, int image) {
    return embeddings.vector(embeddingRow[caption(step, image)]);
  }

  /** The caption index (into the caption set) drawn for training row {@code image} at {@code step}. */
  public int caption(long step, int image) {
    return captions.draw(imageIds[image], seed, step);
  }
}
