package dev.aligntok.inference.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The reference our tokenizer is held to: Hugging Face's own (Rust) tokenizer through DJL, loaded
 * from the same pinned tokenizer.json, truncating to the same 128 tokens, without padding.
 */
final class HuggingFaceReference implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;

  HuggingFaceReference() {
    byte[] json = TextEncoderArtifact.MINILM_L6_V2_Q.readTokenizer();
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
          Map.of("truncation", "true", "padding", "false", "maxLength", "128", "addSpecialTokens", "true"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ids of the real tokens (where the attention mask is 1). */
  long[] ids(String text) {
    Encoding encoding = tokenizer.encode(text);
    long[] ids = encoding.getIds();
    long[] mask = encoding.getAttentionMask();
    return Arrays.stream(ids).limit(Arrays.stream(mask).filter(m -> m == 1).count()).toArray();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
