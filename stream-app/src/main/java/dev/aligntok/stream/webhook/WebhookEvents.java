package dev.aligntok.stream.webhook;

import dev.aligntok.events.GenerationState;
import dev.aligntok.stream.generate.GenerationRules;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which states of a request trigger a webhook call: the names of {@link GenerationState} (QUEUED,
 * RUNNING, SUCCEEDED, FAILED, CANCELLED, EXPIRED), any case; none given means the final states.
 */
public final class WebhookEvents {
  public static final Set<GenerationState> FINAL =
      EnumSet.of(GenerationState.SUCCEEDED, GenerationState.FAILED, GenerationState.CANCELLED, GenerationState.EXPIRED);
  private static final Set<GenerationState> CHOOSABLE = EnumSet.complementOf(EnumSet.of(GenerationState.UNKNOWN));
  private static final int MAX_QUOTED = 16;

  private WebhookEvents() {}

  /** The names as the event carries them (upper case, no repeats), or the problem with them. */
  public static Optional<String> problemWith(List<String> names) {
    if (names == null) {
      return Optional.empty();
    }
    if (names.size() > GenerationRules.MAX_WEBHOOK_EVENTS) {
      return Optional.of("names at most " + GenerationRules.MAX_WEBHOOK_EVENTS + " states, got " + names.size());
    }
    for (String name : names) {
      if (parse(name) == null) {
        String got = name == null ? "null" : name.length() <= MAX_QUOTED ? name : "a name of " + name.length() + " characters";
        return Optional.of("must name states among " + CHOOSABLE + ", got " + got);
      }
    }
    return names.isEmpty() ? Optional.of("is empty: leave it out for the final states") : Optional.empty();
  }

  /** Upper-case distinct names of valid {@code names} (checked by {@link #problemWith}); null stays null. */
  public static List<String> normalised(List<String> names) {
    if (names == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String name : names) {
      String upper = parse(name).name();
      if (!out.contains(upper)) {
        out.add(upper);
      }
    }
    return out;
  }

  /** Whether a request with filter {@code names} (null: the final states) wants a call for {@code state}. */
  public static boolean wants(List<String> names, GenerationState state) {
    if (names == null) {
      return FINAL.contains(state);
    }
    return names.stream().anyMatch(name -> parse(name) == state);
  }

  private static GenerationState parse(String name) {
    if (name == null) {
      return null;
    }
    for (GenerationState state : CHOOSABLE) {
      if (state.name().equals(name.toUpperCase(Locale.ROOT))) {
        return state;
      }
    }
    return null;
  }
}
