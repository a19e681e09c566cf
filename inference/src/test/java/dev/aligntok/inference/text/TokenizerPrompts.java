package dev.aligntok.inference.text;

import java.util.ArrayList;
import java.util.List;

/** Varied prompts for the tokenizer comparison: each line probes one rule of BERT's tokenization. */
final class TokenizerPrompts {
  private TokenizerPrompts() {}

  static List<String> all() {
    List<String> prompts = new ArrayList<>(List.of(
        // plain, case
        "a smiling cat wearing sunglasses", "grinning cat face", "red apple", "A Smiling CAT", "ALL CAPS PROMPT",
        "camelCaseWordsTogether", "the quick brown fox jumps over the lazy dog", "an emoji of a rocket",
        "face with tears of joy", "thumbs up", "OK hand", "woman technologist: medium-dark skin tone",
        // empty and white space
        "", " ", "   ", "\t", "\n\n", "\r\n", " \t \n ", "\u00a0", "\u3000", "\u2003\u2009", "word\u00a0word",
        "a\u2028b\u2029c", "lead  and   trailing  ",
        // accents, other scripts
        "café crème brûlée", "CAFÉ", "naïve façade", "Ångström", "İstanbul", "ıi", "straße", "ǅemal",
        "Ελληνικά ΣΊΣΥΦΟΣ", "русский Текст", "עברית", "العربية", "हिन्दी", "ภาษาไทย", "한국어 문장", "ひらがな カタカナ",
        "日本語の文章", "中文句子测试", "混合 mixed 文字", "\ud840\udc0b rare ideograph", "Ｆｕｌｌｗｉｄｔｈ", "ﬁne ligature",
        "ｶﾀｶﾅ", "e\u0301", "n\u0303o", "a\u0308\u0304",
        // punctuation and symbols
        "hello, world!", "what?!?", "no-spaces-here", "under_score", "dots...and…ellipsis", "«guillemets»",
        "“curly quotes” ‘single’", "em—dash – en", "$100 + 5% = ?", "a<b>c", "a^b~c|d`e", "#hashtag @mention",
        "email@example.com", "https://example.com/path?q=1&r=2", "(parens) [brackets] {braces}", "¿qué? ¡sí!",
        "C++ and C#", "1,000,000.50", "→ ← ↑ ↓", "∑ ∫ √ ∞", "© ® ™", "°C", "½ ¼ ¾", "x²", "§ ¶ †",
        // digits
        "1234567890", "3.14159", "2024-01-31", "v1.2.3", "12th of May", "007", "0x1F600",
        // emoji
        "😀", "a cat 🐱 with 😎", "😂😂😂", "👍🏽", "👩‍💻", "🏳️‍🌈", "❤️", "☺", "🇫🇷 flag", "🥰 love", "🫠 melting",
        "cat😀dog", "emoji:🦄unicorn",
        // special tokens written in the text
        "[MASK]", "a [MASK] b", "[CLS] x [SEP]", "[UNK]", "[PAD][PAD]", "[mask]", "[MASK [SEP]]",
        // control and odd characters
        "tab\tseparated", "zero\u200bwidth", "bom\ufeffhere", "soft\u00adhyphen", "bell\u0007char", "nul\u0000char",
        "repl\ufffdchar", "private\ue000use", "unassigned\u0378cp", "vt\u000bff\u000cnel\u0085", "rtl\u200fmark",
        "lone\ud800surrogate",
        // words around the 100-character word limit
        "a".repeat(99), "b".repeat(100), "c".repeat(101), "d".repeat(103), "e".repeat(104),
        "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
        "antidisestablishmentarianism"));
    // long text: truncation at 128 tokens, and a special token after the cut
    prompts.add("a smiling cat wearing sunglasses ".repeat(40));
    prompts.add("word ".repeat(125) + "[MASK] tail");
    prompts.add("unbelievably ".repeat(60));
    prompts.add("x".repeat(5000));
    prompts.add("こんにちは世界".repeat(40));
    return prompts;
  }
}
