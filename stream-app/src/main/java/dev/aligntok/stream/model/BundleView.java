package dev.aligntok.stream.model;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;

/** What validating a generation request needs from a bundle: its id, classes and sampler defaults. */
public interface BundleView {
  /** Content hash of the bundle. */
  String bundleId();

  /** The bundle's classes; prompts resolve against them. */
  LabelVocabulary labels();

  /** The bundle's sampler defaults, used for parameters a request leaves unset. */
  SamplerSettings defaultSettings();
}
