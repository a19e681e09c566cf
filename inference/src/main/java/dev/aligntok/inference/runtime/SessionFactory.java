package dev.aligntok.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import dev.aligntok.inference.manifest.BundleManifest.ModelEntry;
import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import dev.aligntok.inference.manifest.TensorRtConfig;
import dev.aligntok.inference.manifest.TensorRtConfig.BatchProfile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens every model of a bundle on the first execution provider, in {@link RuntimeOptions#providers}
 * order, on which all of them open. ONNX Runtime does not fall back by itself: adding an
 * unavailable provider throws, so we catch that, remember the reason, close what was opened and try
 * the next. All models share one provider so a batch never crosses devices halfway through a pipeline.
 */
public final class SessionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  private final RuntimeOptions options;
  private final TensorRtConfig tensorRt;
  private final String bundle;
  private final Path cacheRoot;

  /**
   * @param bundle names the bundle in the log line
   * @param defaultCacheRoot where TensorRT caches go unless {@link RuntimeOptions#cacheRoot} says otherwise
   */
  public SessionFactory(RuntimeOptions options, TensorRtConfig tensorRt, String bundle, Path defaultCacheRoot) {
    this.options = options;
    this.tensorRt = tensorRt;
    this.bundle = bundle;
    this.cacheRoot = options.cacheRoot() != null ? options.cacheRoot() : defaultCacheRoot;
  }

  /** Sessions by role, and the provider they run on. */
  public record Opened(ProviderSelection selection, Map<String, OnnxModel> models) {}

  /**
   * @param files model file by role
   * @param entries manifest entry by role (for TensorRT profile shapes)
   * @throws IllegalStateException naming every provider's failure when none of them works
   */
  public Opened open(Map<String, Path> files, Map<String, ModelEntry> entries) {
    Map<ExecutionProvider, String> skipped = new LinkedHashMap<>();
    for (ExecutionProvider provider : options.providers()) {
      Map<String, OnnxModel> models = new LinkedHashMap<>();
      try {
        for (Map.Entry<String, Path> file : files.entrySet()) {
          String role = file.getKey();
          models.put(role, openOne(provider, role, file.getValue(), entries.get(role)));
        }
        ProviderSelection selection = new ProviderSelection(provider, skipped);
        LOG.info("bundle {}: {}", bundle, selection.summary());
        return new Opened(selection, models);
      } catch (OrtException | RuntimeException e) {
        models.values().forEach(OnnxModel::close);
        skipped.put(provider, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip());
      }
    }
    throw new IllegalStateException("no execution provider could open the models: " + skipped.entrySet().stream()
        .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", ")));
  }

  private OnnxModel openOne(ExecutionProvider provider, String role, Path file, ModelEntry entry) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions sessionOptions = sessionOptions(provider, role, entry)) {
      return new OnnxModel(file.getFileName().toString(), env, env.createSession(file.toString(), sessionOptions));
    }
  }

  private OrtSession.SessionOptions sessionOptions(ExecutionProvider provider, String role, ModelEntry entry)
      throws OrtException {
    OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
    try {
      if (options.intraOpThreads() > 0) {
        sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
      }
      if (options.interOpThreads() > 0) {
        sessionOptions.setInterOpNumThreads(options.interOpThreads());
      }
      switch (provider) {
        case TENSORRT -> {
          sessionOptions.addTensorrt(tensorRtOptions(role, entry));
          sessionOptions.addCUDA(options.deviceId()); // for the nodes TensorRT does not take
        }
        case CUDA -> sessionOptions.addCUDA(options.deviceId());
        case CPU -> { } // always present, and the fallback for nodes no other provider takes
      }
      return sessionOptions;
    } catch (OrtException | RuntimeException e) {
      sessionOptions.close();
      throw e;
    }
  }

  private OrtTensorRTProviderOptions tensorRtOptions(String role, ModelEntry entry) throws OrtException {
    BatchProfile profile = tensorRt.profiles().get(role);
    if (profile == null) {
      throw new IllegalStateException("tensorrt.json has no batch profile for " + role);
    }
    OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(options.deviceId());
    try {
      trt.add("trt_fp16_enable", tensorRt.fp16() && options.allowFp16() ? "1" : "0");
      trt.add("trt_engine_cache_enable", "1");
      trt.add("trt_engine_cache_path", cacheRoot.resolve(tensorRt.engineCacheDir()).toString());
      trt.add("trt_timing_cache_enable", "1");
      trt.add("trt_timing_cache_path", cacheRoot.resolve(tensorRt.timingCacheDir()).toString());
      trt.add("trt_max_workspace_size", Long.toString(options.tensorRtWorkspaceBytes()));
      trt.add("trt_profile_min_shapes", profileShapes(entry.inputs(), profile.min()));
      trt.add("trt_profile_opt_shapes", profileShapes(entry.inputs(), profile.opt()));
      trt.add("trt_profile_max_shapes", profileShapes(entry.inputs(), profile.max()));
      return trt;
    } catch (OrtException | RuntimeException e) {
      trt.close();
      throw e;
    }
  }

  /** TensorRT's profile syntax, e.g. {@code latent:8x4x16x16,t:8,class:8}: the batch axis replaced by a size. */
  static String profileShapes(List<TensorSpec> inputs, int batch) {
    return inputs.stream().map(input -> input.name() + ":" + input.shape().stream()
            .map(d -> d < 0 ? String.valueOf(batch) : String.valueOf(d))
            .collect(Collectors.joining("x")))
        .collect(Collectors.joining(","));
  }
}
