package dev.aligntok.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local cache of downloaded sources. Location, first that is set: an explicit directory (the
 * CLI's {@code --cache}), the {@code ALIGNTOK_CACHE} environment variable, {@code ~/.cache/aligntok}.
 *
 * <p>Layout: {@code npm/<name>@<version>/package/...} (scoped names: '/' → '+'),
 * {@code debian/<name>_<version>/usr/...}, each with a {@value #MARKER} written after the archive's
 * checksum was verified; {@code .tmp/} holds downloads in progress (same filesystem, so the final
 * rename is atomic).
 */
public final class DataCache {
  /** The environment variable that moves the cache. */
  public static final String ENV = "ALIGNTOK_CACHE";
  /** Written into a source's directory once its archive was verified and fully extracted. */
  public static final String MARKER = ".aligntok-source.json";

  private final Path root;

  public DataCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The cache chosen by an explicit option, else {@code ALIGNTOK_CACHE}, else {@code ~/.cache/aligntok}. */
  public static DataCache resolve(Path explicit) {
    return resolve(explicit, System.getenv(), Paths.get(System.getProperty("user.home")));
  }

  static DataCache resolve(Path explicit, Map<String, String> env, Path home) {
    if (explicit != null) {
      return new DataCache(explicit);
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new DataCache(Paths.get(fromEnv));
    }
    return new DataCache(home.resolve(".cache").resolve("aligntok"));
  }

  public Path root() {
    return root;
  }

  /**
   * The extracted {@code package/} directory of an npm package, e.g. nsfwjs's model files are under
   * {@code npmPackageDir("nsfwjs", "4.4.0").resolve("dist/models")}. It may not exist yet.
   */
  public Path npmPackageDir(String name, String version) {
    return root.resolve("npm").resolve(npmDirectoryName(name, version)).resolve("package");
  }

  static String npmDirectoryName(String name, String version) {
    return name.replace('/', '+') + "@" + version;
  }

  /** The directory a source is extracted into (may not exist). */
  public Path sourceDir(DataSource source) {
    return root.resolve(source.kind() == DataSource.Kind.NPM ? "npm" : "debian").resolve(source.directoryName());
  }

  /** Where a source's data files are (its {@link DataSource#dataPath()} inside {@link #sourceDir}). */
  public Path dataDir(DataSource source) {
    return sourceDir(source).resolve(source.dataPath());
  }

  /** Features of real images that evaluations keep between runs ({@code FeatureCache}). */
  public Path featuresDir() {
    return root.resolve("features");
  }

  /** Scratch space on the cache's filesystem. */
  public Path tmpDir() {
    return root.resolve(".tmp");
  }

  /** Whether the required files are there (fetched by us, or extracted by hand). */
  public boolean isPresent(DataSource source) {
    Path dir = sourceDir(source);
    return source.requiredPaths().stream().allMatch(path -> Files.exists(dir.resolve(path)));
  }

  /** Whether the files are there and our marker records the pinned checksum. */
  public boolean isVerified(DataSource source) {
    return isPresent(source) && markerSha256(source).map(source.sha256()::equals).orElse(false);
  }

  /** The checksum recorded by the fetch that produced the directory, if any. */
  public Optional<String> markerSha256(DataSource source) {
    Path marker = sourceDir(source).resolve(MARKER);
    if (!Files.isRegularFile(marker)) {
      return Optional.empty();
    }
    try {
      JsonNode json = new ObjectMapper().readTree(marker.toFile());
      return Optional.ofNullable(json.path("sha256").textValue());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Bytes of all regular files below a directory (0 when it does not exist). */
  public static long sizeOf(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(DataCache::sizeOrZero).sum();
    } catch (IOException e) {
      throw new DataException("cannot measure " + dir + ": " + e.getMessage(), e);
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
