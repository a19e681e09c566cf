package dev.aligntok.trainer.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A prompts file: one prompt per line, blank lines and {@code #} comments skipped, each line trimmed. */
final class PromptsFile {
  /** A prompt longer than this is refused (the encoder would cut it at 256 tokens anyway). */
  static final int MAX_CHARS = 1000;
  /** A file larger than this is not a prompt list. */
  static final long MAX_BYTES = 1 << 20;

  private PromptsFile() {}

  static List<String> read(Path file) {
    List<String> lines;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException("prompts file " + file + " is larger than " + MAX_BYTES + " bytes");
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read prompts file " + file + ": " + e.getMessage(), e);
    }
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.length() > MAX_CHARS) {
        throw new IllegalArgumentException("prompts file " + file + ", line " + (i + 1) + ": " + line.length()
            + " characters, at most " + MAX_CHARS);
      }
      prompts.add(line);
    }
    return prompts;
  }
}
