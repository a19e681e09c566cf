package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * The model bundle ({@code aligntok.model.*}).
 *
 * @param bundlePath directory of the bundle (manifest.json + ONNX files)
 * @param providers  execution providers to try, in order (for example TENSORRT, CUDA, CPU)
 */
@ConfigurationProperties("aligntok.model")
public record ModelSettings(@Nullable String bundlePath, @Nullable List<String> providers) {
  public ModelSettings {
    bundlePath = Settings.blankToNull(bundlePath);
    providers = providers == null ? List.of() : List.copyOf(providers);
  }
}
