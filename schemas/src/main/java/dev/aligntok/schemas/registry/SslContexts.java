package dev.aligntok.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds a JDK {@link SSLContext} from Confluent's {@code schema.registry.ssl.*} properties. */
final class SslContexts {
  static final String PREFIX = "schema.registry.ssl.";
  static final String TRUSTSTORE_LOCATION = PREFIX + "truststore.location";
  static final String TRUSTSTORE_PASSWORD = PREFIX + "truststore.password";
  static final String TRUSTSTORE_TYPE = PREFIX + "truststore.type";
  static final String KEYSTORE_LOCATION = PREFIX + "keystore.location";
  static final String KEYSTORE_PASSWORD = PREFIX + "keystore.password";
  static final String KEYSTORE_TYPE = PREFIX + "keystore.type";
  static final String KEY_PASSWORD = PREFIX + "key.password";

  private SslContexts() {}

  /** Empty when no trust or key store is configured: the JDK's default trust then applies. */
  static Optional<SSLContext> fromProperties(PropertyReader in) {
    Optional<String> trustStore = in.optional(TRUSTSTORE_LOCATION);
    Optional<String> keyStore = in.optional(KEYSTORE_LOCATION);
    if (trustStore.isEmpty() && keyStore.isEmpty()) {
      return Optional.empty();
    }
    try {
      TrustManagerFactory tmf = null;
      if (trustStore.isPresent()) {
        KeyStore ts = load(trustStore.get(), in.optional(TRUSTSTORE_TYPE).orElse("PKCS12"),
            in.optional(TRUSTSTORE_PASSWORD).orElse(null), TRUSTSTORE_LOCATION);
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
      }
      KeyManagerFactory kmf = null;
      if (keyStore.isPresent()) {
        String storePassword = in.optional(KEYSTORE_PASSWORD).orElse(null);
        KeyStore ks = load(keyStore.get(), in.optional(KEYSTORE_TYPE).orElse("PKCS12"), storePassword, KEYSTORE_LOCATION);
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        String keyPassword = in.optional(KEY_PASSWORD).orElse(storePassword);
        kmf.init(ks, keyPassword == null ? null : keyPassword.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return Optional.of(context);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot build TLS context for the schema registry: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String location, String type, String password, String property) throws GeneralSecurityException {
    Path path = Path.of(location);
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password == null ? null : password.toCharArray());
      return store;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + property + "=" + location + ": " + e.getMessage(), e);
    }
  }
}
