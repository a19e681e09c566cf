package dev.aligntok.stream.service.http;

import dev.aligntok.events.GenerationState;
import java.util.EnumSet;
import java.util.Set;

/**
 * The states a generation request never leaves: after them a cancellation changes nothing and an
 * event stream closes. The one list the API uses (status views carry the state as its name).
 */
final class FinalStates {
  private static final Set<GenerationState> FINAL = EnumSet.of(GenerationState.SUCCEEDED, GenerationState.FAILED,
      GenerationState.CANCELLED, GenerationState.EXPIRED);

  private FinalStates() {}

  static boolean isFinal(GenerationState state) {
    return FINAL.contains(state);
  }

  /** By name, as {@code StatusView.state} holds it; an unknown name is not final. */
  static boolean isFinal(String stateName) {
    return FINAL.stream().anyMatch(state -> state.name().equals(stateName));
  }
}
