package dev.aligntok.quickstart;

import dev.aligntok.stream.config.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one quickstart run sends, where, and where its results go.
 *
 * @param registryUrl    Confluent-compatible API base, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}
 * @param bundleDir      the bundle the service runs: its vocabulary picks default prompts and its
 *                       decoder turns the returned latents back into images
 * @param imageFolder    PNG files; the first {@code imageCount} by name are sent
 * @param prompts        class prompts; empty = {@link DefaultPrompts}
 * @param imagesPerPrompt the count of each generation request
 * @param steps          sampler steps per request, or null for the bundle's default
 * @param timeout        how long to wait for every input to end, from the first send
 */
public record QuickstartSettings(String bootstrapServers, String registryUrl, TopicNames topics, Path bundleDir,
                                 Path imageFolder, int imageCount, List<String> prompts, int imagesPerPrompt,
                                 Integer steps, Path outDir, Duration timeout) {
  public QuickstartSettings {
    require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap servers must be given");
    require(registryUrl != null && !registryUrl.isBlank(), "the registry URL must be given");
    require(topics != null && bundleDir != null && imageFolder != null && outDir != null,
        "topics, bundle, image folder and output folder must be given");
    require(imageCount >= 0, "image count must be >= 0, got " + imageCount);
    require(imagesPerPrompt >= 1, "images per prompt must be >= 1, got " + imagesPerPrompt);
    require(steps == null || steps >= 1, "steps must be >= 1, got " + steps);
    require(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be > 0, got " + timeout);
    prompts = prompts == null ? List.of() : List.copyOf(prompts);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
