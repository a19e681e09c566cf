package dev.aligntok.stream.service.metrics;

import dev.aligntok.stream.service.model.ModelPorts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/** {@code aligntok.model.loaded{provider=...}}: 1 while a bundle is loaded, tagged with the execution provider in use. */
@Context
public final class ModelMetrics {
  public ModelMetrics(MeterRegistry registry, ModelPorts model) {
    Gauge.builder("aligntok.model.loaded", () -> 1)
        .tag("provider", model.provider())
        .description("1 while a model bundle is loaded; the tag names the execution provider in use")
        .register(registry);
  }
}
