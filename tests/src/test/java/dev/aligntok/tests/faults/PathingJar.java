package dev.aligntok.tests.faults;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * An empty jar whose manifest {@code Class-Path} lists a classpath as {@code file:} URLs, so a child
 * JVM gets that classpath with a short {@code -cp}. ONNX Runtime 1.29 crashed the JVM at start-up
 * when {@code java.class.path} was very long (see {@code pathing_jar} in {@code ./quickstart}).
 */
final class PathingJar {
  private PathingJar() {}

  /** Writes {@code jar} listing every entry of {@code classpath} (a {@link File#pathSeparator} list). */
  static Path write(Path jar, String classpath) throws IOException {
    String urls = Arrays.stream(classpath.split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString()) // directories end in '/'
        .collect(Collectors.joining(" "));
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, urls); // wrapped at 72 bytes by Manifest
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      return jar;
    }
  }
}
