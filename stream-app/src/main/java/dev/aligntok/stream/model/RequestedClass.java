package dev.aligntok.stream.model;

import dev.aligntok.inference.label.LabelVocabulary;

/**
 * A class of a bundle's vocabulary as a generation request named it. The one home of class
 * resolution: the request limits ({@code generate.GenerationRules}, applied by the HTTP API and the
 * generate topology) resolve a {@code classId} or prompt here, and the generator checks here that a
 * class resolved against one bundle still means the same in the bundle that runs it. On a bundle
 * that takes free text a prompt names no class ({@link #namesNoClass}); only a {@code classId} resolves.
 *
 * @param id   index in the vocabulary
 * @param name the class's name there
 */
public record RequestedClass(int id, String name) {
  /**
   * The class id of a free-text request inside the service: no class. Images carry a null
   * {@code GeneratedImage.classId} instead (schema v3); records written before v3 carry this value.
   */
  public static final int FREE_TEXT = -1;

  /**
   * Whether the request is free text on this bundle: the bundle takes free text, no {@code classId}
   * is given (it takes precedence) and a prompt is, blank or not (empty = unconditional).
   */
  public static boolean namesNoClass(Integer classId, String prompt, boolean acceptsFreeText) {
    return acceptsFreeText && classId == null && prompt != null;
  }

  /**
   * The class {@code classId} names when set (it takes precedence), otherwise the one the prompt
   * names in {@code labels}.
   *
   * @throws Unresolved naming the field at fault: an id out of range, an unknown prompt (with the
   *     vocabulary's suggestions), or neither given
   */
  public static RequestedClass resolve(Integer classId, String prompt, LabelVocabulary labels) throws Unresolved {
    if (classId != null) {
      if (classId < 0 || classId >= labels.size()) {
        throw new Unresolved("classId", "classId " + classId + " is not in [0, " + (labels.size() - 1) + "]");
      }
      return new RequestedClass(classId, labels.name(classId));
    }
    checkNamed(null, prompt);
    try {
      int id = labels.id(prompt);
      return new RequestedClass(id, labels.name(id));
    } catch (IllegalArgumentException unknown) {
      throw new Unresolved("prompt", unknown.getMessage());
    }
  }

  /**
   * What can be checked without a vocabulary: that the request names a class at all.
   *
   * @throws Unresolved when neither a {@code classId} nor a non-blank prompt is given
   */
  public static void checkNamed(Integer classId, String prompt) throws Unresolved {
    if (classId == null && (prompt == null || prompt.isBlank())) {
      throw new Unresolved("prompt", "either prompt or classId is required");
    }
  }

  /** Whether {@code labels} has this class at this id (a bundle swapped in since resolving may not). */
  public boolean in(LabelVocabulary labels) {
    return id >= 0 && id < labels.size() && labels.name(id).equals(name);
  }

  /** Why a request names no class: the request field at fault and a sentence that starts with it. */
  public static final class Unresolved extends Exception {
    private final String field;

    Unresolved(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
