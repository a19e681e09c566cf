package dev.aligntok.stream.service.health;

import dev.aligntok.stream.service.model.ModelPorts;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/** Ready only while a model bundle is loaded; details name the provider and bundle ids. */
@Singleton
@Readiness
public final class ModelReadiness implements HealthIndicator {
  private final ModelPorts model;

  public ModelReadiness(ModelPorts model) {
    this.model = model;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("provider", model.provider());
    model.encoder().ifPresent(encoder -> details.put("encoderBundle", encoder.bundleId()));
    model.generator().ifPresent(generator -> details.put("generatorBundle", generator.bundleId()));
    HealthStatus status = model.loaded() ? HealthStatus.UP : HealthStatus.DOWN;
    return Publishers.just(HealthResult.builder("model", status).details(details).build());
  }
}
