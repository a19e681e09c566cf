package dev.aligntok.tests.faults;

import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.service.AlignTokService;
import dev.aligntok.stream.service.model.ModelPorts;
import io.micronaut.context.RuntimeBeanDefinition;
import io.micronaut.runtime.Micronaut;
import java.nio.file.Path;
import java.util.List;

/**
 * Test-only entry point (it lives in the tests' classpath, never in the service's): the real service,
 * whose generator halts the JVM — no shutdown hook, no last commit, as an OOM kill or a native crash
 * would — whenever a batch holds a request whose metadata has {@link #CRASH_KEY} = {@link #CRASH}.
 */
public final class CrashingService {
  static final String CRASH_KEY = "test-crash";
  static final String CRASH = "halt";
  static final int EXIT_CODE = 137;

  private CrashingService() {}

  public static void main(String[] args) {
    Micronaut.build(args).mainClass(AlignTokService.class)
        .beanDefinitions(RuntimeBeanDefinition.builder(ModelPorts.class, CrashingService::ports)
            .replaces(ModelPorts.class).build())
        .start();
  }

  private static ModelPorts ports() {
    Path bundle = Path.of(System.getProperty("aligntok.model.bundle-path"));
    BundleModels models = BundleModels.load(bundle, RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)));
    return new ModelPorts(models, true, true, CrashingService::crashing);
  }

  private static ImageGeneratorPort crashing(ImageGeneratorPort real) {
    return new ImageGeneratorPort() {
      @Override
      public String bundleId() {
        return real.bundleId();
      }

      @Override
      public dev.aligntok.inference.label.LabelVocabulary labels() {
        return real.labels();
      }

      @Override
      public dev.aligntok.inference.sampling.SamplerSettings defaultSettings() {
        return real.defaultSettings();
      }

      @Override
      public boolean acceptsFreeText() {
        return real.acceptsFreeText();
      }

      @Override
      public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
        haltIfAsked(requests);
        return real.generate(requests);
      }

      @Override
      public Lease lease() {
        Lease inner = real.lease();
        return Lease.wrapping(inner, (requests, cancelledNow) -> {
          haltIfAsked(requests);
          return inner.generate(requests, cancelledNow);
        });
      }
    };
  }

  private static void haltIfAsked(List<ValidatedGeneration> requests) {
    for (ValidatedGeneration request : requests) {
      if (CRASH.equals(request.metadata().get(CRASH_KEY))) {
        System.err.println("CrashingService: batch holds " + request.requestId() + "; halting the JVM (test hook)");
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CODE);
      }
    }
  }
}
