package dev.aligntok.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The PNG files the quickstart sends: the first N of a folder, sorted by file name. */
public final class SampleImages {
  /** The npm package the trainer's data cache holds the emoji in (same layout: npm/<name>@<version>/package). */
  public static final String EMOJI_PACKAGE = "emoji-datasource-google@16.0.0";
  /** Environment variable that moves the data cache, as the trainer reads it. */
  public static final String CACHE_ENV = "ALIGNTOK_CACHE";

  /** One image: its file name (without .png) and its bytes, sent as they are. */
  public record Sample(String name, byte[] png) {}

  private SampleImages() {}

  /** {@code $ALIGNTOK_CACHE} (or {@code ~/.cache/aligntok}){@code /npm/emoji-datasource-google@16.0.0/package/img/google/64}. */
  public static Path defaultFolder() {
    String cache = System.getenv(CACHE_ENV);
    Path root = cache == null || cache.isBlank()
        ? Path.of(System.getProperty("user.home"), ".cache", "aligntok")
        : Path.of(cache);
    return root.resolve("npm").resolve(EMOJI_PACKAGE).resolve("package").resolve("img").resolve("google").resolve("64");
  }

  /**
   * @throws IllegalArgumentException when the folder is missing or holds fewer than {@code count} PNG files
   */
  public static List<Sample> firstPngs(Path folder, int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("image count must be > 0, got " + count);
    }
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("image folder " + folder + " does not exist (the quickstart script fetches "
          + "the emoji with `npm pack " + EMOJI_PACKAGE + "`; or pass --images DIR)");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(Files::isRegularFile)
          .filter(path -> path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
          .sorted()
          .limit(count)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    if (files.size() < count) {
      throw new IllegalArgumentException(folder + " holds " + files.size() + " PNG files, " + count + " requested");
    }
    List<Sample> samples = new ArrayList<>(files.size());
    for (Path file : files) {
      String name = file.getFileName().toString();
      try {
        samples.add(new Sample(name.substring(0, name.length() - ".png".length()), Files.readAllBytes(file)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return samples;
  }
}
