package dev.aligntok.inference.text;

import java.util.Arrays;
import java.util.Map;

/**
 * A BERT uncased WordPiece tokenizer read from a Hugging Face {@code tokenizer.json}, giving the same
 * ids as that library (checked against it in tests): special tokens such as {@code [MASK]} written in
 * the text are taken as they are, the rest is normalised and split ({@link BertPreTokenizer}), each
 * word is cut greedily into the longest vocabulary pieces ({@code ##} for continuations; a word that
 * cannot be cut, or is longer than the file's limit, becomes {@code [UNK]}), and the sequence is
 * framed as {@code [CLS] … [SEP]}.
 *
 * <p>Bounded: a sequence holds at most {@link #maxLength()} ids (the file's {@code truncation.max_length},
 * 128 for all-MiniLM-L6-v2, special tokens included); longer text is cut at the end and the rest of
 * it is not tokenized. Immutable and thread-safe.
 */
public final class BertWordPiece {
  private final TokenizerJson settings;

  private BertWordPiece(TokenizerJson settings) {
    this.settings = settings;
  }

  /**
   * @param json the bytes of a {@code tokenizer.json}
   * @param source names the file in error messages
   * @throws IllegalArgumentException naming the field when the file is not a BERT uncased WordPiece tokenizer
   */
  public static BertWordPiece fromTokenizerJson(byte[] json, String source) {
    return new BertWordPiece(TokenizerJson.parse(json, source));
  }

  /** Ids per sequence at most, {@code [CLS]} and {@code [SEP]} included. */
  public int maxLength() {
    return settings.maxLength();
  }

  /** The token ids of {@code text}: {@code [CLS]}, at most {@code maxLength() - 2} pieces, {@code [SEP]}. */
  public int[] encode(String text) {
    Ids ids = new Ids(settings.maxLength());
    ids.add(settings.clsId());
    int start = 0;
    while (start < text.length() && !ids.full()) {
      Match special = nextSpecial(text, start);
      int end = special == null ? text.length() : special.start();
      for (String word : BertPreTokenizer.words(text.substring(start, end))) {
        if (ids.full()) {
          break;
        }
        addPieces(word, ids);
      }
      if (special != null) {
        ids.add(special.id());
        start = special.start() + special.content().length();
      } else {
        start = text.length();
      }
    }
    ids.addLast(settings.sepId());
    return ids.toArray();
  }

  private record Match(int start, String content, int id) {}

  /** The leftmost special token at or after {@code from}, the longest if several start there. */
  private Match nextSpecial(String text, int from) {
    Match best = null;
    for (Map.Entry<String, Integer> token : settings.specialTokens().entrySet()) {
      int at = text.indexOf(token.getKey(), from);
      if (at >= 0 && (best == null || at < best.start()
          || (at == best.start() && token.getKey().length() > best.content().length()))) {
        best = new Match(at, token.getKey(), token.getValue());
      }
    }
    return best;
  }

  /** Greedy longest-match-first: the whole word becomes [UNK] if any part of it has no piece. */
  private void addPieces(String word, Ids ids) {
    if (word.codePointCount(0, word.length()) > settings.maxWordChars()) {
      ids.add(settings.unkId());
      return;
    }
    Map<String, Integer> vocab = settings.vocab();
    int[] pieces = new int[word.length()];
    int count = 0;
    for (int start = 0; start < word.length(); ) {
      Integer id = null;
      int end = word.length();
      for (; end > start; end = word.offsetByCodePoints(end, -1)) {
        String piece = start == 0 ? word.substring(0, end) : settings.prefix() + word.substring(start, end);
        id = vocab.get(piece);
        if (id != null) {
          break;
        }
      }
      if (id == null) {
        ids.add(settings.unkId());
        return;
      }
      pieces[count++] = id;
      start = end;
    }
    for (int i = 0; i < count; i++) {
      ids.add(pieces[i]);
    }
  }

  /** Ids with room kept for the final [SEP]: adds beyond the limit are dropped (truncation). */
  private static final class Ids {
    private final int[] ids;
    private int size;

    Ids(int maxLength) {
      this.ids = new int[maxLength];
    }

    boolean full() {
      return size >= ids.length - 1;
    }

    void add(int id) {
      if (!full()) {
        ids[size++] = id;
      }
    }

    void addLast(int id) {
      ids[size++] = id;
    }

    int[] toArray() {
      return Arrays.copyOf(ids, size);
    }
  }
}
