package dev.aligntok.stream.service;

import dev.aligntok.stream.service.http.QuotaClock;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The quota clock, standing still until a test advances it; active with {@value #PROPERTY}=true. */
@Singleton
@Replaces(QuotaClock.class)
@Requires(property = ManualQuotaClock.PROPERTY, value = "true")
public class ManualQuotaClock extends QuotaClock {
  static final String PROPERTY = "aligntok.test.manual-quota-clock";
  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }
}
