package dev.aligntok.trainer.encoders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the data literal out of a minified JavaScript bundle, such as nsfwjs's {@code model.min.js}
 * ({@code a.exports={modelTopology:{...}}}) or a weight shard ({@code a.exports="<base64>"}).
 *
 * <p>Minifiers emit JavaScript, not JSON: unquoted keys, {@code !0}/{@code !1} for true/false,
 * numbers like {@code .5} and {@code -.25}. This parser accepts exactly the literal subset (objects,
 * arrays, strings, numbers, true/false/null, {@code !0}/{@code !1}, {@code void 0}) and fails with
 * the offset of anything else. Plain JSON is a subset, so {@code model.json} files parse too.
 */
final class JsLiteralParser {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // module.exports=<literal>, as browserify writes it; the UMD prelude's "exports=e()" is skipped.
  private static final Pattern EXPORT = Pattern.compile("exports\\s*=\\s*(?=[\\[{\"'])");

  private final String text;
  private final String source;
  private int pos;

  private JsLiteralParser(String text, String source, int start) {
    this.text = text;
    this.source = source;
    this.pos = start;
  }

  /** Parses a whole file that is either plain JSON or a bundle exporting one literal. */
  static JsonNode parseExportedLiteral(String text, String source) {
    int start = skipWhitespace(text, 0);
    if (start < text.length() && (text.charAt(start) == '{' || text.charAt(start) == '[')) {
      return new JsLiteralParser(text, source, start).parseDocument();
    }
    Matcher matcher = EXPORT.matcher(text);
    if (!matcher.find()) {
      throw new IllegalArgumentException(source + ": neither JSON nor a JavaScript bundle with 'exports=<literal>'");
    }
    return new JsLiteralParser(text, source, matcher.end()).parseValue();
  }

  private JsonNode parseDocument() {
    JsonNode node = parseValue();
    pos = skipWhitespace(text, pos);
    if (pos != text.length()) {
      throw error("unexpected text after the literal");
    }
    return node;
  }

  private JsonNode parseValue() {
    pos = skipWhitespace(text, pos);
    if (pos >= text.length()) {
      throw error("unexpected end of text");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return parseObject();
      case '[':
        return parseArray();
      case '"':
      case '\'':
        return NODES.textNode(parseString());
      case '!':
        return parseNegatedNumber();
      default:
        if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
          return parseNumber();
        }
        if (isIdentifierStart(c)) {
          return parseKeyword();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private ObjectNode parseObject() {
    ObjectNode object = NODES.objectNode();
    pos++; // '{'
    while (true) {
      pos = skipWhitespace(text, pos);
      if (peek() == '}') {
        pos++;
        return object;
      }
      String key = parseKey();
      expect(':');
      object.set(key, parseValue());
      pos = skipWhitespace(text, pos);
      char next = peek();
      pos++;
      if (next == '}') {
        return object;
      }
      if (next != ',') {
        pos--;
        throw error("expected ',' or '}' in an object");
      }
    }
  }

  private ArrayNode parseArray() {
    ArrayNode array = NODES.arrayNode();
    pos++; // '['
    while (true) {
      pos = skipWhitespace(text, pos);
      if (peek() == ']') {
        pos++;
        return array;
      }
      array.add(parseValue());
      pos = skipWhitespace(text, pos);
      char next = peek();
      pos++;
      if (next == ']') {
        return array;
      }
      if (next != ',') {
        pos--;
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  private String parseKey() {
    char c = peek();
    if (c == '"' || c == '\'') {
      return parseString();
    }
    int start = pos;
    if (isIdentifierStart(c)) {
      while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
        pos++;
      }
    } else if (Character.isDigit(c)) {
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
    } else {
      throw error("expected a property name");
    }
    return text.substring(start, pos);
  }

  private String parseString() {
    char quote = text.charAt(pos++);
    StringBuilder out = null;
    int runStart = pos;
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == quote) {
        String value = out == null ? text.substring(runStart, pos) : out.append(text, runStart, pos).toString();
        pos++;
        return value;
      }
      if (c == '\\') {
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(text, runStart, pos);
        pos++;
        appendEscape(out);
        runStart = pos;
      } else if (c == '\n' || c == '\r') {
        throw error("line break inside a string");
      } else {
        pos++;
      }
    }
  }

  private void appendEscape(StringBuilder out) {
    if (pos >= text.length()) {
      throw error("unterminated escape");
    }
    char c = text.charAt(pos++);
    switch (c) {
      case 'n': out.append('\n'); break;
      case 't': out.append('\t'); break;
      case 'r': out.append('\r'); break;
      case 'b': out.append('\b'); break;
      case 'f': out.append('\f'); break;
      case 'v': out.append('\u000B'); break;
      case '0': out.append('\0'); break;
      case 'x': out.append((char) hex(2)); break;
      case 'u':
        if (peek() == '{') {
          pos++;
          int end = text.indexOf('}', pos);
          if (end < 0) {
            throw error("unterminated \\u{...} escape");
          }
          out.appendCodePoint(Integer.parseInt(text.substring(pos, end), 16));
          pos = end + 1;
        } else {
          out.append((char) hex(4));
        }
        break;
      case '\r':
        if (peek() == '\n') {
          pos++;
        }
        break;
      case '\n':
        break; // line continuation
      default:
        out.append(c); // \" \' \\ \/ and JavaScript's identity escapes
    }
  }

  private int hex(int digits) {
    if (pos + digits > text.length()) {
      throw error("truncated hexadecimal escape");
    }
    try {
      int value = Integer.parseInt(text.substring(pos, pos + digits), 16);
      pos += digits;
      return value;
    } catch (NumberFormatException e) {
      throw error("bad hexadecimal escape");
    }
  }

  // Minifiers write true as !0 and false as !1.
  private JsonNode parseNegatedNumber() {
    pos++;
    pos = skipWhitespace(text, pos);
    char c = peek();
    if (c == '0' || c == '1') {
      pos++;
      if (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
        throw error("only !0 and !1 are supported after '!'");
      }
      return NODES.booleanNode(c == '0');
    }
    throw error("only !0 and !1 are supported after '!'");
  }

  private JsonNode parseNumber() {
    int start = pos;
    if (peek() == '-' || peek() == '+') {
      pos++;
    }
    boolean integral = true;
    int digits = skipDigits();
    if (peek() == '.') {
      integral = false;
      pos++;
      digits += skipDigits();
    }
    if (digits == 0) {
      throw error("malformed number");
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '-' || peek() == '+') {
        pos++;
      }
      if (skipDigits() == 0) {
        throw error("malformed exponent");
      }
    }
    if (isIdentifierPart(peek())) {
      throw error("unsupported numeric literal (hex, octal, BigInt or a trailing name)");
    }
    String literal = text.substring(start, pos);
    if (integral) {
      try {
        return NODES.numberNode(Long.parseLong(literal.startsWith("+") ? literal.substring(1) : literal));
      } catch (NumberFormatException tooLong) {
        // falls through to double, as JavaScript would
      }
    }
    // Double.parseDouble rounds like JavaScript's number literals (both: nearest double).
    return NODES.numberNode(Double.parseDouble(literal));
  }

  private JsonNode parseKeyword() {
    int start = pos;
    while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
      pos++;
    }
    String word = text.substring(start, pos);
    switch (word) {
      case "true":
        return NODES.booleanNode(true);
      case "false":
        return NODES.booleanNode(false);
      case "null":
        return NODES.nullNode();
      case "void":
        pos = skipWhitespace(text, pos);
        if (peek() == '0') {
          pos++;
          return NODES.nullNode(); // undefined, as minifiers write it
        }
        break;
      default:
        break;
    }
    pos = start;
    throw error("unsupported JavaScript expression '" + word + "' (only data literals are read)");
  }

  private int skipDigits() {
    int start = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    return pos - start;
  }

  private void expect(char c) {
    pos = skipWhitespace(text, pos);
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private IllegalArgumentException error(String what) {
    int from = Math.max(0, pos - 30);
    int to = Math.min(text.length(), pos + 30);
    return new IllegalArgumentException(source + ": " + what + " at offset " + pos
        + " (near \"" + text.substring(from, to).replace('\n', ' ') + "\")");
  }

  private static int skipWhitespace(String text, int pos) {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '$';
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }
}
