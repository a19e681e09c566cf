/**
 * Rectified-flow sampling shared by the trainer and the serving runtime: a
 * {@link dev.aligntok.inference.sampling.FlowSampler} integrates a
 * {@link dev.aligntok.inference.sampling.VelocityField} (any model: DJL, ONNX Runtime, a test
 * function) over a shifted {@link dev.aligntok.inference.sampling.TimeSchedule} from
 * {@link dev.aligntok.inference.sampling.PortableNoise} starting latents, with classifier-free
 * guidance in an interval, configured by {@link dev.aligntok.inference.sampling.SamplerSettings}.
 * A model conditioned on vectors (a text DiT) is driven through a
 * {@link dev.aligntok.inference.sampling.ConditionTable}. Plain Java, no native code.
 *
 * <p>Layering: may use {@code cancel} only.
 */
package dev.aligntok.inference.sampling;
