package dev.aligntok.trainer.encoders;

/**
 * Which MobileNetV2 layer the encoder outputs. The default, {@code block_10_expand_relu}, gives
 * 384 channels at stride 16 (a 16×16 grid for 256 px, 8×8 for 128 px) and only uses layers that
 * kept their ImageNet weights in the nsfwjs model (docs/architecture.md §7).
 *
 * @param tapLayer a Keras layer name from {@link MobileNetV2Architecture#tappableLayers()}
 */
public record MobileNetV2Config(String tapLayer) {
  public static final String DEFAULT_TAP = "block_10_expand_relu";

  public MobileNetV2Config {
    if (tapLayer == null || tapLayer.isBlank()) {
      throw new IllegalArgumentException("MobileNetV2 tap layer must be set (default " + DEFAULT_TAP + ")");
    }
    MobileNetV2Architecture.truncate(tapLayer); // fails early, listing the valid names
  }

  public static MobileNetV2Config defaults() {
    return new MobileNetV2Config(DEFAULT_TAP);
  }
}
