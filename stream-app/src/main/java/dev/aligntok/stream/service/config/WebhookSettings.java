package dev.aligntok.stream.service.config;

import dev.aligntok.stream.generate.GenerationRules;
import dev.aligntok.stream.webhook.DestinationPolicy;
import dev.aligntok.stream.webhook.WebhookSecret;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.List;

/**
 * Signed webhooks ({@code aligntok.webhooks.*}). Off by default; on, the service needs a signing
 * secret and delivers calls from the status topic with its own consumer group.
 *
 * @param enabled         accept {@code webhook} on submissions and deliver the calls; default false
 * @param secret          the signing key, {@code whsec_<base64 of 24..64 bytes>}; required when enabled; never logged
 * @param allowedHosts    where calls may go: host names, {@code *.domain}, {@code *} (any name), IP ranges
 *     ({@code 127.0.0.0/8}); private, loopback and other special addresses only when a range lists them; default none
 * @param maxUrlLength    longest webhook URL accepted; default {@value #DEFAULT_MAX_URL_LENGTH}
 * @param maxAttempts     attempts per call before its dead letter; default {@value #DEFAULT_MAX_ATTEMPTS}
 * @param initialBackoff  wait after the first failed attempt, doubled after each further one; default 1 s
 * @param maxBackoff      longest wait between attempts; default 5 min
 * @param connectTimeout  per address; default 5 s
 * @param readTimeout     from the request sent to the response line; default 10 s
 * @param concurrency     calls in progress at once; default {@value #DEFAULT_CONCURRENCY}
 * @param maxPending      calls read and not finished before reading pauses; default {@value #DEFAULT_MAX_PENDING}
 * @param laneConcurrency calls of one caller (one receiver for requests without an owner) in progress at once, so
 *     that one caller's hanging receivers cannot hold every thread; 0 or unset: half of {@code concurrency} (at least 1)
 * @param suspendAfter    failed attempts in a row after which a receiver is suspended for {@code maxBackoff}, its
 *     calls dead-lettered without a call meanwhile; 0 never; default {@value #DEFAULT_SUSPEND_AFTER}
 * @param laneMaxPending  one caller's unfinished calls before its backlog is full (reading waits for it, or, if
 *     it is behind for good, its new calls are dead-lettered); 0 or unset: a quarter of {@code maxPending}
 * @param laneMaxWait     a caller whose backlog has been full longer than this is behind for good;
 *     0: never (reading waits, calls are delayed rather than dead-lettered); default 1 min
 * @param groupId         the delivery's consumer group; default {@code <application-id>-webhooks}
 * @param publicUrl       the service's URL the payload's links start with; default none (paths alone)
 * @param startFrom       where a new consumer group starts: {@code latest} (default: no calls for the
 *     statuses written before webhooks were first enabled) or {@code earliest}
 */
@ConfigurationProperties("aligntok.webhooks")
public record WebhookSettings(@Nullable Boolean enabled, @Nullable String secret, @Nullable List<String> allowedHosts,
                              @Nullable Integer maxUrlLength, @Nullable Integer maxAttempts,
                              @Nullable Duration initialBackoff, @Nullable Duration maxBackoff,
                              @Nullable Duration connectTimeout, @Nullable Duration readTimeout,
                              @Nullable Integer concurrency, @Nullable Integer maxPending,
                              @Nullable Integer laneConcurrency, @Nullable Integer suspendAfter,
                              @Nullable Integer laneMaxPending, @Nullable Duration laneMaxWait, @Nullable String groupId,
                              @Nullable String publicUrl, @Nullable String startFrom) {
  public static final String SECRET_KEY = "aligntok.webhooks.secret";
  public static final int DEFAULT_MAX_URL_LENGTH = 2048;
  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  public static final int DEFAULT_CONCURRENCY = 8;
  public static final int DEFAULT_MAX_PENDING = 1000;
  public static final int DEFAULT_SUSPEND_AFTER = 10;

  public WebhookSettings {
    enabled = Boolean.TRUE.equals(enabled);
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    maxUrlLength = maxUrlLength == null ? DEFAULT_MAX_URL_LENGTH : maxUrlLength;
    maxAttempts = maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
    initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
    maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
    concurrency = concurrency == null ? DEFAULT_CONCURRENCY : concurrency;
    maxPending = maxPending == null ? DEFAULT_MAX_PENDING : maxPending;
    laneConcurrency = laneConcurrency == null || laneConcurrency == 0 ? Math.max(1, concurrency / 2) : laneConcurrency;
    suspendAfter = suspendAfter == null ? DEFAULT_SUSPEND_AFTER : suspendAfter;
    laneMaxPending = laneMaxPending == null || laneMaxPending == 0 ? Math.max(1, maxPending / 4) : laneMaxPending;
    laneMaxWait = laneMaxWait == null ? Duration.ofMinutes(1) : laneMaxWait;
    groupId = Settings.blankToNull(groupId);
    publicUrl = Settings.blankToNull(publicUrl);
    startFrom = startFrom == null ? "latest" : startFrom.strip();
    Settings.requireAtLeast("aligntok.webhooks.max-url-length", maxUrlLength, 16);
    if (maxUrlLength > GenerationRules.MAX_WEBHOOK_CHARS) {
      throw new IllegalArgumentException("aligntok.webhooks.max-url-length must be <= " + GenerationRules.MAX_WEBHOOK_CHARS
          + " (the pipeline's bound), got " + maxUrlLength);
    }
    Settings.requireAtLeast("aligntok.webhooks.max-attempts", maxAttempts, 1);
    Settings.requirePositive("aligntok.webhooks.initial-backoff", initialBackoff);
    Settings.requirePositive("aligntok.webhooks.max-backoff", maxBackoff);
    Settings.requirePositive("aligntok.webhooks.connect-timeout", connectTimeout);
    Settings.requirePositive("aligntok.webhooks.read-timeout", readTimeout);
    Settings.requireAtLeast("aligntok.webhooks.concurrency", concurrency, 1);
    Settings.requireAtLeast("aligntok.webhooks.max-pending", maxPending, 1);
    Settings.requireAtLeast("aligntok.webhooks.lane-concurrency", laneConcurrency, 1);
    if (laneConcurrency > concurrency) {
      throw new IllegalArgumentException("aligntok.webhooks.lane-concurrency must be <= aligntok.webhooks.concurrency ("
          + concurrency + "), got " + laneConcurrency);
    }
    Settings.requireAtLeast("aligntok.webhooks.suspend-after", suspendAfter, 0);
    Settings.requireAtLeast("aligntok.webhooks.lane-max-pending", laneMaxPending, 1);
    if (laneMaxPending > maxPending) {
      throw new IllegalArgumentException("aligntok.webhooks.lane-max-pending must be <= aligntok.webhooks.max-pending ("
          + maxPending + "), got " + laneMaxPending);
    }
    if (laneMaxWait.isNegative()) {
      throw new IllegalArgumentException("aligntok.webhooks.lane-max-wait must be >= 0 (0: never dead-letter a backlog),"
          + " got " + laneMaxWait);
    }
    if (!startFrom.equals("latest") && !startFrom.equals("earliest")) {
      throw new IllegalArgumentException("aligntok.webhooks.start-from must be latest or earliest");
    }
    if (enabled) {
      WebhookSecret.parse(SECRET_KEY, secret); // refuses to start with a missing or short secret
      policy(allowedHosts, maxUrlLength);
    }
  }

  /** The signing key; only when enabled. */
  public WebhookSecret signingSecret() {
    return WebhookSecret.parse(SECRET_KEY, secret);
  }

  /** Where calls may go (the allow-list parsed). */
  public DestinationPolicy policy() {
    return policy(allowedHosts, maxUrlLength);
  }

  private static DestinationPolicy policy(List<String> allowedHosts, int maxUrlLength) {
    return new DestinationPolicy("aligntok.webhooks.allowed-hosts", allowedHosts, maxUrlLength);
  }

  /** Without the secret: records print every component, and this one must never reach a log. */
  @Override
  public String toString() {
    return "WebhookSettings[enabled=" + enabled + ", secret=" + (secret == null ? "unset" : "(hidden)")
        + ", allowedHosts=" + allowedHosts + ", maxAttempts=" + maxAttempts + ", groupId=" + groupId + "]";
  }
}
