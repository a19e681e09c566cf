package dev.aligntok.schemas.registry;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How to reach the registry. {@link #fromProperties} reads the Confluent client's property names so
 * existing Kafka client configurations work unchanged.
 *
 * @param urls           base URLs, tried in order on I/O failure (for Apicurio: {@code .../apis/ccompat/v7})
 * @param authorization  value of the {@code Authorization} header, if any
 * @param sslContext     TLS context for {@code https} URLs; the JDK default when empty
 */
public record RegistryClientConfig(
    List<URI> urls,
    Duration connectTimeout,
    Duration requestTimeout,
    RetryPolicy retry,
    Optional<String> authorization,
    Optional<SSLContext> sslContext,
    Duration latestCacheTtl) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String BEARER_AUTH_SOURCE = "bearer.auth.credentials.source";
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String MAX_RETRIES = "schema.registry.max.retries";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

  public RegistryClientConfig {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one schema registry URL is required (" + URL + ")");
    }
    urls = List.copyOf(urls);
    for (URI url : urls) {
      String scheme = url.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("schema registry URL must be http or https: " + url);
      }
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("registry timeouts must be positive");
    }
  }

  /** Defaults for one registry URL: 10 s connect, 30 s request, {@link RetryPolicy#DEFAULT}, latest cached 5 min. */
  public static RegistryClientConfig of(String url) {
    return new RegistryClientConfig(parseUrls(url), Duration.ofSeconds(10), Duration.ofSeconds(30),
        RetryPolicy.DEFAULT, Optional.empty(), Optional.empty(), Duration.ofMinutes(5));
  }

  public RegistryClientConfig withRetry(RetryPolicy policy) {
    return new RegistryClientConfig(urls, connectTimeout, requestTimeout, policy, authorization, sslContext, latestCacheTtl);
  }

  public RegistryClientConfig withTimeouts(Duration connect, Duration request) {
    return new RegistryClientConfig(urls, connect, request, retry, authorization, sslContext, latestCacheTtl);
  }

  public RegistryClientConfig withBasicAuth(String userInfo) {
    return withAuthorization("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
  }

  public RegistryClientConfig withBearerToken(String token) {
    return withAuthorization("Bearer " + token);
  }

  public RegistryClientConfig withSslContext(SSLContext context) {
    return new RegistryClientConfig(urls, connectTimeout, requestTimeout, retry, authorization, Optional.of(context), latestCacheTtl);
  }

  public RegistryClientConfig withLatestCacheTtl(Duration ttl) {
    return new RegistryClientConfig(urls, connectTimeout, requestTimeout, retry, authorization, sslContext, ttl);
  }

  private RegistryClientConfig withAuthorization(String header) {
    return new RegistryClientConfig(urls, connectTimeout, requestTimeout, retry, Optional.of(header), sslContext, latestCacheTtl);
  }

  /**
   * Reads Confluent-style client properties: {@code schema.registry.url} (comma-separated),
   * {@code basic.auth.credentials.source=USER_INFO|URL} + {@code basic.auth.user.info},
   * {@code bearer.auth.credentials.source=STATIC_TOKEN} + {@code bearer.auth.token},
   * {@code schema.registry.ssl.*} trust/key stores, and the timeouts and retries above.
   */
  public static RegistryClientConfig fromProperties(Map<String, ?> props) {
    PropertyReader in = new PropertyReader(props);
    String urlList = in.required(URL);
    RegistryClientConfig config = of(urlList)
        .withTimeouts(Duration.ofMillis(in.longValue(CONNECT_TIMEOUT_MS, 10_000)),
            Duration.ofMillis(in.longValue(REQUEST_TIMEOUT_MS, 30_000)))
        .withRetry(new RetryPolicy((int) in.longValue(MAX_RETRIES, RetryPolicy.DEFAULT.maxRetries()),
            Duration.ofMillis(in.longValue(RETRY_BACKOFF_MS, RetryPolicy.DEFAULT.initialDelay().toMillis())),
            Duration.ofMillis(in.longValue(RETRY_BACKOFF_MAX_MS, RetryPolicy.DEFAULT.maxDelay().toMillis()))))
        .withLatestCacheTtl(Duration.ofSeconds(in.longValue(LATEST_CACHE_TTL_SEC, 300)));

    String basicSource = in.optional(BASIC_AUTH_SOURCE).orElse("");
    if (!basicSource.isEmpty()) {
      config = config.withBasicAuth(basicUserInfo(basicSource, in, config.urls().get(0)));
    }
    String bearerSource = in.optional(BEARER_AUTH_SOURCE).orElse("");
    if (!bearerSource.isEmpty()) {
      if (!"STATIC_TOKEN".equals(bearerSource)) {
        throw new IllegalArgumentException(BEARER_AUTH_SOURCE + "=" + bearerSource + " is not supported; use STATIC_TOKEN");
      }
      config = config.withBearerToken(in.required(BEARER_AUTH_TOKEN));
    }
    Optional<SSLContext> ssl = SslContexts.fromProperties(in);
    return ssl.isPresent() ? config.withSslContext(ssl.get()) : config;
  }

  private static String basicUserInfo(String source, PropertyReader in, URI firstUrl) {
    switch (source) {
      case "USER_INFO":
        return in.required(BASIC_AUTH_USER_INFO);
      case "URL":
        if (firstUrl.getRawUserInfo() == null) {
          throw new IllegalArgumentException(BASIC_AUTH_SOURCE + "=URL but " + URL + " holds no user:password@");
        }
        return firstUrl.getUserInfo();
      default:
        throw new IllegalArgumentException(BASIC_AUTH_SOURCE + "=" + source + " is not supported; use USER_INFO or URL");
    }
  }

  private static List<URI> parseUrls(String urlList) {
    List<URI> urls = new ArrayList<>();
    for (String part : urlList.split(",")) {
      String trimmed = part.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      // Keep base URLs without a trailing slash so paths append cleanly.
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      try {
        urls.add(URI.create(trimmed));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid schema registry URL '" + trimmed + "': " + e.getMessage(), e);
      }
    }
    return urls;
  }
}
