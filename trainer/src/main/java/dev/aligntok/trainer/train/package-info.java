/**
 * The model-agnostic training machinery every trainer of this module shares: the one
 * {@link dev.aligntok.trainer.train.TrainingLoop} (resume, steps, metrics, checkpoint cadence,
 * result), {@link dev.aligntok.trainer.train.Checkpoints} (the on-disk layout, the
 * {@link dev.aligntok.trainer.train.Checkpoints#MODEL model} and
 * {@link dev.aligntok.trainer.train.Checkpoints#EMA ema} group names and the "EMA over the model
 * weights" restore every loader uses), {@link dev.aligntok.trainer.train.AdamW},
 * {@link dev.aligntok.trainer.train.Ema}, {@link dev.aligntok.trainer.train.Autograd},
 * {@link dev.aligntok.trainer.train.NamedParameters}, the
 * {@link dev.aligntok.trainer.train.NonFiniteGuard} and the {@code metrics.jsonl} format
 * ({@link dev.aligntok.trainer.train.MetricsLog}, written here and read by the charts).
 *
 * <p>Layering: this package imports no other package of the trainer (only DJL and
 * {@code dev.aligntok.inference.io}). The trainers sit above it beside their models —
 * {@code tokenizer} ({@code TokenizerTrainer}, its stages) and {@code diffusion}
 * ({@code FlowTrainer}) — and plug their per-step work into the loop as a
 * {@link dev.aligntok.trainer.train.TrainingLoop.Work}.
 */
package dev.aligntok.trainer.train;
