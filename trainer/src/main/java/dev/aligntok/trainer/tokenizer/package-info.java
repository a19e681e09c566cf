/**
 * The AlignTok tokenizer and how it is trained: the model (foundation encoder →
 * {@link dev.aligntok.trainer.tokenizer.Adapter} → latent → {@link dev.aligntok.trainer.tokenizer.Decoder},
 * assembled by {@link dev.aligntok.trainer.tokenizer.Tokenizer}), the fair vanilla tokenizer's
 * LDM-style {@link dev.aligntok.trainer.tokenizer.CnnEncoder}, its losses and GAN discriminator,
 * the three training stages and the two baselines ({@link dev.aligntok.trainer.tokenizer.TokenizerStage},
 * {@link dev.aligntok.trainer.tokenizer.StageConfig}, {@link dev.aligntok.trainer.tokenizer.TokenizerTrainer}
 * with its checkpoint state {@link dev.aligntok.trainer.tokenizer.TokenizerTrainingState}) and the
 * loader of a trained checkpoint, {@link dev.aligntok.trainer.tokenizer.TrainedTokenizer}.
 *
 * <p>Layering: imports {@code train} (loop, checkpoints, optimizer), {@code nn}, {@code encoders},
 * {@code data} and the evaluation contracts of {@code eval}; none of those imports this package.
 * {@code latents}, {@code diffusion}, {@code export}, {@code bench} and {@code cli} sit above it.
 */
package dev.aligntok.trainer.tokenizer;
