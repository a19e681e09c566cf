package dev.aligntok.tests.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layering written in {@code docs/architecture.md}: a fenced {@code layers} block with one
 * line per module, {@code module: lowest < next < ... < highest}, where a level may hold several
 * packages separated by commas (siblings, which may not import each other), and a
 * {@code modules} block with one line per module, {@code module -> dependency, dependency}.
 * The document is the one home of the rules; {@link PackageLayersTest} enforces them.
 */
record DeclaredLayers(Map<String, Integer> levelOfPackage, Map<String, Set<String>> moduleDependencies) {
  private static final Pattern BLOCK = Pattern.compile("```(layers|modules)\\n(.*?)```", Pattern.DOTALL);

  static DeclaredLayers read(Path architectureDoc) {
    String text;
    try {
      text = Files.readString(architectureDoc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Integer> levels = new LinkedHashMap<>();
    Map<String, Set<String>> modules = new LinkedHashMap<>();
    Matcher block = BLOCK.matcher(text);
    while (block.find()) {
      for (String line : block.group(2).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        if (block.group(1).equals("layers")) {
          readLayerLine(line, levels);
        } else {
          String[] sides = line.split("->", 2);
          modules.put(sides[0].trim(), sides.length < 2 || sides[1].isBlank() ? Set.of()
              : Set.copyOf(List.of(sides[1].trim().split("\\s*,\\s*"))));
        }
      }
    }
    if (levels.isEmpty() || modules.isEmpty()) {
      throw new IllegalStateException(architectureDoc + " has no ```layers or ```modules block");
    }
    return new DeclaredLayers(levels, modules);
  }

  /** {@code inference: io, cancel < image < runtime}: level numbers rise left to right. */
  private static void readLayerLine(String line, Map<String, Integer> levels) {
    String[] sides = line.split(":", 2);
    String root = sides[0].trim();
    String[] steps = sides[1].split("<");
    for (int level = 0; level < steps.length; level++) {
      for (String name : steps[level].split(",")) {
        String relative = name.trim();
        String full = relative.equals(".") ? root : root + "." + relative;
        if (levels.put(full, level) != null) {
          throw new IllegalStateException("package " + full + " is listed twice in the layers block");
        }
      }
    }
  }
}
