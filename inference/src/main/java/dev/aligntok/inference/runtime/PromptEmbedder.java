package dev.aligntok.inference.runtime;

import java.util.List;

/**
 * What a text-conditioned {@link GenerationRuntime} needs from the text side: sentence embeddings
 * of prompts, and the caption a class request means. The bundle package supplies it (from the text
 * encoder and {@code text.ClassCaption}), since {@code text} sits above {@code runtime}.
 */
public interface PromptEmbedder {
  /**
   * One embedding per prompt, in order, from one text-encoder call.
   *
   * @param prompts free text, possibly empty (the empty prompt is the guidance null)
   */
  float[][] embed(List<String> prompts);

  /** The caption that stands for a class on this bundle ("an emoji of face smiling"). */
  String classCaption(String className);
}
