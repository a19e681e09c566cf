package dev.aligntok.stream.service.metrics;

import dev.aligntok.stream.webhook.DeliveryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer meters of the webhook delivery:
 * <ul>
 *   <li>{@code aligntok.webhooks.delivered}: calls a receiver answered 2xx</li>
 *   <li>{@code aligntok.webhooks.failed}: failed attempts (each retried or dead-lettered)</li>
 *   <li>{@code aligntok.webhooks.dead.letters}: calls dead-lettered after their last attempt or refused</li>
 *   <li>{@code aligntok.webhooks.latency}: one successful attempt, histogram</li>
 *   <li>{@code aligntok.webhooks.pending}: calls read and not finished</li>
 * </ul>
 */
@Singleton
public final class WebhookMetrics implements DeliveryObserver {
  private final Counter delivered;
  private final Counter failed;
  private final Counter deadLetters;
  private final Timer latency;
  private final AtomicInteger pending = new AtomicInteger();

  public WebhookMetrics(MeterRegistry registry) {
    delivered = Counter.builder("aligntok.webhooks.delivered").description("webhook calls answered 2xx")
        .register(registry);
    failed = Counter.builder("aligntok.webhooks.failed").description("failed webhook attempts (retried or dead-lettered)")
        .register(registry);
    deadLetters = Counter.builder("aligntok.webhooks.dead.letters")
        .description("webhook calls dead-lettered after their last attempt or refused").register(registry);
    latency = Timer.builder("aligntok.webhooks.latency").description("one successful webhook attempt")
        .publishPercentileHistogram().register(registry);
    Gauge.builder("aligntok.webhooks.pending", pending, AtomicInteger::get)
        .description("webhook calls read and not yet delivered or dead-lettered").register(registry);
  }

  @Override
  public void delivered(long nanos) {
    delivered.increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void attemptFailed() {
    failed.increment();
  }

  @Override
  public void deadLettered() {
    deadLetters.increment();
  }

  @Override
  public void pending(int calls) {
    pending.set(calls);
  }
}
