package dev.aligntok.trainer.latents;

import dev.aligntok.trainer.data.SkippedImagesReport;
import java.util.List;

/**
 * {@code shard-k.done.json}: written after shard k's file has been renamed into place, and what a
 * rerun checks the file against. Holds everything the index needs from the shard, so a resumed run
 * does not re-read the shards it keeps.
 *
 * @param ids source ids of the rows, in row order
 * @param skipped input images of this shard that could not be read
 * @param latents channel moments of {@code latents}
 * @param flips channel moments of {@code latents_flip}, null without flips
 */
record ShardRecord(int formatVersion, String file, int firstInput, int inputs, int rows, long bytes, String sha256,
    int batchSize, int channels, int height, int width, List<String> ids, List<SkippedImagesReport.Entry> skipped,
    ChannelMoments latents, ChannelMoments flips) {}
