package dev.aligntok.inference.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link BertWordPiece} needs from a Hugging Face {@code tokenizer.json}, read and checked: a
 * file that asks for anything we do not implement (cased, another normaliser, a pair template …) is
 * refused with the field named, rather than tokenized slightly wrong.
 *
 * @param vocab token → id
 * @param specialTokens the added tokens, matched in the raw text before normalisation, content → id
 * @param unkId id of the unknown-word token
 * @param clsId id of the token before every sequence
 * @param sepId id of the token after every sequence
 * @param prefix marks a word piece that continues a word ({@code ##})
 * @param maxWordChars longer words (in code points) become the unknown token
 * @param maxLength tokens per sequence, special tokens included (longer text is cut at the end)
 */
record TokenizerJson(Map<String, Integer> vocab, Map<String, Integer> specialTokens, int unkId, int clsId, int sepId,
    String prefix, int maxWordChars, int maxLength) {

  static TokenizerJson parse(byte[] json, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
    }
    Check check = new Check(source, root);
    check.equal("model.type", "WordPiece");
    check.equal("normalizer.type", "BertNormalizer");
    check.equal("normalizer.clean_text", "true");
    check.equal("normalizer.handle_chinese_chars", "true");
    check.equal("normalizer.lowercase", "true");
    if (!check.node("normalizer.strip_accents").isNull()) { // null = follow lowercase
      check.equal("normalizer.strip_accents", "true");
    }
    check.equal("pre_tokenizer.type", "BertPreTokenizer");
    check.equal("post_processor.type", "TemplateProcessing");
    check.equal("truncation.direction", "Right");

    Map<String, Integer> vocab = new HashMap<>();
    check.node("model.vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    Map<String, Integer> special = new HashMap<>();
    for (JsonNode added : check.node("added_tokens")) {
      if (!added.path("special").asBoolean() || added.path("normalized").asBoolean()) {
        throw new IllegalArgumentException(source + ": added token " + added.path("id")
            + " is not a special, unnormalised token; only those are supported");
      }
      special.put(added.path("content").asText(), added.path("id").asInt());
    }
    List<String> single = new ArrayList<>();
    for (JsonNode piece : check.node("post_processor.single")) {
      single.add(piece.has("SpecialToken") ? piece.path("SpecialToken").path("id").asText()
          : piece.path("Sequence").path("id").asText());
    }
    if (single.size() != 3 || !single.get(1).equals("A")) {
      throw new IllegalArgumentException(source + ": post_processor.single must be [special, A, special], got "
          + single);
    }
    String prefix = check.node("model.continuing_subword_prefix").asText();
    int maxLength = check.node("truncation.max_length").asInt();
    if (maxLength < 3) {
      throw new IllegalArgumentException(source + ": truncation.max_length must be >= 3, got " + maxLength);
    }
    return new TokenizerJson(Map.copyOf(vocab), Map.copyOf(special),
        check.id(vocab, check.node("model.unk_token").asText()), check.id(vocab, single.get(0)),
        check.id(vocab, single.get(2)), prefix, check.node("model.max_input_chars_per_word").asInt(), maxLength);
  }

  /** Field access with messages that name the file and the field. */
  private record Check(String source, JsonNode root) {
    JsonNode node(String path) {
      JsonNode node = root;
      for (String part : path.split("\\.")) {
        node = node.path(part);
      }
      if (node.isMissingNode()) {
        throw new IllegalArgumentException(source + ": " + path + " is missing");
      }
      return node;
    }

    void equal(String path, String expected) {
      String actual = node(path).asText();
      if (!actual.equals(expected)) {
        throw new IllegalArgumentException(source + ": " + path + " is '" + bounded(actual) + "', only '" + expected
            + "' is supported");
      }
    }

    int id(Map<String, Integer> vocab, String token) {
      Integer id = vocab.get(token);
      if (id == null) {
        throw new IllegalArgumentException(source + ": token '" + bounded(token) + "' is not in model.vocab");
      }
      return id;
    }

    private static String bounded(String text) {
      return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
  }
}
