package dev.aligntok.tests.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code helm lint} and {@code helm template} on {@code helm/aligntok}, in-process through
 * helm-java (Helm's own Go library; no helm binary needed).
 */
final class AligntokChart {
  static final Path REPO = Path.of(System.getProperty("aligntok.repo.root", "..")).toAbsolutePath().normalize();
  static final Path CHART = REPO.resolve("helm/aligntok");
  static final Path GPU_KEDA_TLS = REPO.resolve("helm/examples/gpu-keda-tls.yaml");
  static final String RELEASE = "aligntok";
  static final String NAMESPACE = "streams";

  private AligntokChart() {}

  /** {@code helm lint --strict} with the chart's own values. */
  static LintResult lint() {
    return new Helm(CHART).lint().strict().call();
  }

  /**
   * {@code helm lint --strict -f valuesFile}. helm-java's lint takes no values file, so the chart is
   * copied with the values file merged over its values.yaml, which is what {@code -f} does.
   */
  static LintResult lint(Path valuesFile, Path workDir) throws IOException {
    Path copy = workDir.resolve(CHART.getFileName());
    copyTree(CHART, copy);
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode merged = (ObjectNode) yaml.readTree(CHART.resolve("values.yaml").toFile());
    deepMerge(merged, (ObjectNode) yaml.readTree(valuesFile.toFile()));
    yaml.writeValue(copy.resolve("values.yaml").toFile(), merged);
    return new Helm(copy).lint().strict().call();
  }

  /** {@code helm template} with optional values file and {@code --set} pairs; throws what Helm refused. */
  static RenderedChart template(Path valuesFile, Map<String, Object> sets) {
    TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
    if (valuesFile != null) {
      command = command.withValuesFile(valuesFile);
    }
    for (Map.Entry<String, Object> set : sets.entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    return RenderedChart.parse(command.call());
  }

  static RenderedChart template() {
    return template(null, Map.of());
  }

  /** Helm's merge: maps merge key by key, anything else (lists included) is replaced. */
  private static void deepMerge(ObjectNode base, ObjectNode override) {
    for (Iterator<Map.Entry<String, JsonNode>> it = override.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode existing = base.get(field.getKey());
      if (existing instanceof ObjectNode baseChild && field.getValue() instanceof ObjectNode overrideChild) {
        deepMerge(baseChild, overrideChild);
      } else {
        base.set(field.getKey(), field.getValue());
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      paths.forEach(path -> {
        try {
          Files.copy(path, to.resolve(from.relativize(path).toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
