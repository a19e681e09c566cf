package dev.aligntok.trainer.diffusion;

import dev.aligntok.trainer.latents.LatentSet;

/**
 * Where a DiT's training latents came from, kept in its checkpoints so sampling can find the
 * tokenizer that decodes them.
 *
 * @param latents             the extraction directory
 * @param tokenizerCheckpoint the tokenizer checkpoint that produced them (decodes samples)
 * @param dataset             dataset and split
 */
public record LatentProvenance(String latents, String tokenizerCheckpoint, String dataset) {

  public static LatentProvenance of(LatentSet set) {
    var extraction = set.index().extraction();
    return new LatentProvenance(set.directory().toAbsolutePath().toString(), extraction.tokenizer().checkpoint(),
        extraction.dataset() + " " + extraction.split());
  }
}
