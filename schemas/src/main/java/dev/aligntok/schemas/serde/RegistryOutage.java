package dev.aligntok.schemas.serde;

import dev.aligntok.schemas.registry.RegistryAuthException;
import dev.aligntok.schemas.registry.SchemaRegistryException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Recognises a failure caused by the schema registry being out of reach (no answer, 5xx, 429,
 * refused credentials) rather than by a record: reading an input whose writer schema is not cached
 * yet, or writing an output whose schema id is not known yet. Such a record is not bad; it must
 * wait for the registry, never go to the dead-letter topic.
 */
public final class RegistryOutage {
  private RegistryOutage() {}

  /** Whether {@code failure} or any of its causes is the registry being unreachable. */
  public static boolean causes(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      if (t instanceof PayloadDecodeException decode && decode.isRetriable()) {
        return true;
      }
      if (t instanceof SchemaRegistryException registry
          && (registry.isRetriable() || registry instanceof RegistryAuthException)) {
        return true;
      }
    }
    return false;
  }
}
