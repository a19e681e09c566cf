package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Output records ({@code aligntok.output.*}); see {@link dev.aligntok.stream.config.OutputLimits} and
 * {@link dev.aligntok.stream.config.DeadLetterLimits}.
 *
 * @param maxRecordBytes          largest serialized result (latent, generated image) produced inline
 * @param deadLetterValueBytes    longest prefix of a failed input's value a dead letter carries
 * @param deadLetterKeyBytes      longest prefix of a failed input's key a dead letter carries
 * @param deadLetterHeaderBytes   most bytes of a failed input's headers a dead letter carries
 */
@ConfigurationProperties("aligntok.output")
public record OutputSettings(int maxRecordBytes, int deadLetterValueBytes, int deadLetterKeyBytes,
                             int deadLetterHeaderBytes) {}
