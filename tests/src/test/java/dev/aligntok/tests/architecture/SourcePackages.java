package dev.aligntok.tests.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's main source as packages and their imports of project code, read from the
 * {@code src/main/java} folder of every module. Packages are named without the common
 * {@code dev.aligntok.} prefix ({@code inference.runtime}).
 */
final class SourcePackages {
  static final String PREFIX = "dev.aligntok.";
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+?)(?:\\.\\*)?\\s*;", Pattern.MULTILINE);

  /** One import of project code: which file, and the imported name as written. */
  record Import(String file, String imported) {}

  /** A package: the module that holds it and the project imports of its files. */
  record SourcePackage(String name, String module, List<Import> imports) {}

  private final Map<String, SourcePackage> packages;

  private SourcePackages(Map<String, SourcePackage> packages) {
    this.packages = packages;
  }

  /** Reads every module folder under {@code repo} that has a {@code src/main/java}. */
  static SourcePackages read(Path repo) {
    Map<String, SourcePackage> packages = new TreeMap<>();
    try (Stream<Path> modules = Files.list(repo)) {
      for (Path module : modules.filter(dir -> Files.isDirectory(dir.resolve("src/main/java"))).toList()) {
        readModule(module, packages);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SourcePackages(packages);
  }

  private static void readModule(Path module, Map<String, SourcePackage> packages) throws IOException {
    try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher declared = PACKAGE.matcher(source);
        if (!declared.find() || !declared.group(1).startsWith(PREFIX)) {
          continue;
        }
        String name = declared.group(1).substring(PREFIX.length());
        SourcePackage target = packages.computeIfAbsent(name,
            n -> new SourcePackage(n, module.getFileName().toString(), new ArrayList<>()));
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
          if (imports.group(1).startsWith(PREFIX)) {
            target.imports().add(new Import(file.getFileName().toString(), imports.group(1).substring(PREFIX.length())));
          }
        }
      }
    }
  }

  Map<String, SourcePackage> all() {
    return packages;
  }

  /** The package an imported name belongs to: the longest known package that prefixes it. */
  Optional<String> packageOf(String imported) {
    String candidate = imported;
    while (true) {
      if (packages.containsKey(candidate)) {
        return Optional.of(candidate);
      }
      int dot = candidate.lastIndexOf('.');
      if (dot < 0) {
        return Optional.empty();
      }
      candidate = candidate.substring(0, dot);
    }
  }
}
