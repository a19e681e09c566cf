package dev.aligntok.stream.model;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;

/**
 * What validating a generation request needs from a bundle: its id, classes, whether it takes free
 * text, and its sampler defaults.
 */
public interface BundleView {
  /** Content hash of the bundle. */
  String bundleId();

  /** The bundle's classes; prompts resolve against them. */
  LabelVocabulary labels();

  /**
   * Whether the bundle is text-conditioned: any prompt within the length limit is its condition (the
   * empty prompt = unconditional), and only {@code classId} requests resolve against {@link #labels}.
   * False for a class-conditional bundle, whose prompts must name a class. No default: a decorator
   * that forgot to forward it would silently turn a text bundle into a class bundle.
   */
  boolean acceptsFreeText();

  /** The bundle's sampler defaults, used for parameters a request leaves unset. */
  SamplerSettings defaultSettings();
}
