package dev.aligntok.inference.image;

/**
 * What an encoded image's header claims, read without decoding pixels.
 *
 * @param format the {@link ImageFormat#imageIoName()}: "png", "jpeg", "webp", "gif" or "bmp"
 * @param width claimed width in pixels
 * @param height claimed height in pixels
 */
public record ImageInfo(String format, int width, int height) {}
