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

/**
 * The model's part of readiness: UP, since the service does not start without a validated bundle
 * (a reload keeps the old one unless the new one validates); details name the provider and bundle ids.
 */
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
    return Publishers.just(HealthResult.builder("model", HealthStatus.UP).details(details).build());
  }
}
