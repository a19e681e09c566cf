package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** Output records ({@code aligntok.output.*}); see {@link dev.aligntok.stream.config.OutputLimits}. */
@ConfigurationProperties("aligntok.output")
public record OutputSettings(int maxRecordBytes) {}
