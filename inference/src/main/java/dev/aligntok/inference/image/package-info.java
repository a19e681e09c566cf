/**
 * The image codec shared by training and serving, so their preprocessing cannot drift:
 * {@link dev.aligntok.inference.image.ImageDecoder} (PNG, JPEG, WebP, GIF or BMP bytes → RGB on white, limits checked
 * before decoding) → {@link dev.aligntok.inference.image.Resize} (centre crop, area-average down,
 * bilinear up) → {@link dev.aligntok.inference.image.ImageTensors} (RGB ↔ float CHW with a
 * {@link dev.aligntok.inference.image.Normalization}). Plain Java, no native code.
 *
 * <p>Layering: a leaf; it uses no other inference package.
 */
package dev.aligntok.inference.image;
