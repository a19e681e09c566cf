package dev.aligntok.tests.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The manifests {@code helm template} printed, parsed into fabric8's typed model (custom resources
 * such as KEDA's ScaledObject become {@link GenericKubernetesResource}).
 */
final class RenderedChart {
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final String yaml;
  private final List<HasMetadata> resources;

  private RenderedChart(String yaml, List<HasMetadata> resources) {
    this.yaml = yaml;
    this.resources = resources;
  }

  static RenderedChart parse(String yaml) {
    List<HasMetadata> resources = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      resources.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
    }
    return new RenderedChart(yaml, List.copyOf(resources));
  }

  /** The raw output, for failure messages and text checks. */
  String yaml() {
    return yaml;
  }

  List<HasMetadata> resources() {
    return resources;
  }

  /** The one resource of this type; fails with the kinds that were rendered when there is not exactly one. */
  <T extends HasMetadata> T single(Class<T> type) {
    List<T> found = all(type);
    if (found.size() != 1) {
      throw new AssertionError("expected exactly one " + type.getSimpleName() + ", found " + found.size()
          + " among " + kinds());
    }
    return found.get(0);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Custom resources of one kind (the chart's KEDA and Prometheus Operator objects). */
  List<GenericKubernetesResource> custom(String kind) {
    return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
  }

  List<String> kinds() {
    return resources.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList();
  }

  /** A nested field of a custom resource's spec, e.g. {@code at(scaledObject, "spec", "maxReplicaCount")}. */
  static Object at(GenericKubernetesResource resource, String... path) {
    Object node = resource.getAdditionalProperties();
    for (String key : path) {
      if (!(node instanceof Map<?, ?> map)) {
        throw new AssertionError("no " + String.join(".", path) + " in " + resource.getKind());
      }
      node = map.get(key);
    }
    return node;
  }
}
