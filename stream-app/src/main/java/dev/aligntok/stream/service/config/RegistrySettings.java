package dev.aligntok.stream.service.config;

import dev.aligntok.schemas.registry.RegistryClientConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.HashMap;
import java.util.Map;

/**
 * The schema registry ({@code aligntok.registry.*}).
 *
 * @param url         base URL(s), comma-separated (Apicurio: {@code .../apis/ccompat/v7})
 * @param userInfo    {@code user:password} for HTTP basic authentication, if the registry needs it
 * @param bearerToken a static bearer token, if the registry needs one
 * @see PassThroughProperties#registry() {@code aligntok.registry.properties.*}: Confluent-style client
 *     and serde properties, verbatim ({@code schema.registry.ssl.truststore.location}, {@code auto.register.schemas}, ...)
 */
@ConfigurationProperties("aligntok.registry")
public record RegistrySettings(
    String url,
    @Nullable String userInfo,
    @Nullable String bearerToken) {

  public RegistrySettings {
    Settings.requireText("aligntok.registry.url", url);
    userInfo = Settings.blankToNull(userInfo);
    bearerToken = Settings.blankToNull(bearerToken);
  }

  /** The client properties: the verbatim ones, with the URL and credentials above filled in. */
  public Map<String, String> clientProperties(Map<String, String> passThrough) {
    Map<String, String> props = new HashMap<>(passThrough);
    props.put(RegistryClientConfig.URL, url);
    if (userInfo != null) {
      props.put(RegistryClientConfig.BASIC_AUTH_SOURCE, "USER_INFO");
      props.put(RegistryClientConfig.BASIC_AUTH_USER_INFO, userInfo);
    }
    if (bearerToken != null) {
      props.put(RegistryClientConfig.BEARER_AUTH_SOURCE, "STATIC_TOKEN");
      props.put(RegistryClientConfig.BEARER_AUTH_TOKEN, bearerToken);
    }
    return props;
  }
}
