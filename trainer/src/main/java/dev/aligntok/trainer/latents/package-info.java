/**
 * Bulk latent extraction: a tokenizer encodes a dataset into safetensors shards in LightningDiT's
 * layout ({@link dev.aligntok.trainer.latents.LatentExtractor}), resumably, with an index, channel
 * statistics and the list of skipped images; {@link dev.aligntok.trainer.latents.LatentSet} reads
 * such a directory back, verified, for diffusion training.
 *
 * <p>A latent directory:
 * <pre>
 * extraction.json              what identifies the extraction (written first; a rerun must match it)
 * shard-00000.safetensors      latents f32 [n,C,H,W], latents_flip f32 [n,C,H,W] (optional), labels i64 [n]
 * shard-00000.done.json        completion record: SHA-256, rows, ids, skipped images, channel moments
 * ...
 * latent-stats.json            per-channel mean / std (and what they are over)
 * latents_stats.safetensors    mean, std f32 [1,C,1,1]
 * skipped-images.json          every image left out, with its reason
 * index.json                   written last: config, shape, shards (+ SHA-256), id -&gt; shard/row, labels
 * </pre>
 */
package dev.aligntok.trainer.latents;
