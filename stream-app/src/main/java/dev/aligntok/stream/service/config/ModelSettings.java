package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * The model bundle ({@code aligntok.model.*}).
 *
 * @param bundlePath directory of the bundle (manifest.json + ONNX files)
 * @param providers  execution providers to try, in order (for example TENSORRT, CUDA, CPU)
 * @param intraOpThreads ONNX Runtime threads inside one operator on CPU; 0 = one per core. With
 *     several stream threads sharing the cores, 1 each lets one thread decode while another infers.
 */
@ConfigurationProperties("aligntok.model")
public record ModelSettings(@Nullable String bundlePath, @Nullable List<String> providers,
                            @Nullable Integer intraOpThreads) {
  public ModelSettings {
    bundlePath = Settings.blankToNull(bundlePath);
    providers = providers == null ? List.of() : List.copyOf(providers);
    intraOpThreads = intraOpThreads == null ? 0 : intraOpThreads;
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("aligntok.model.intra-op-threads must be >= 0 (0 = one per core), got "
          + intraOpThreads);
    }
  }
}
