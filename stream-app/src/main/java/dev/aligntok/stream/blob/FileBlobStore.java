package dev.aligntok.stream.blob;

import dev.aligntok.stream.blob.BlobAccessException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code file://} blobs, confined to configured directories. A URI is read only when its path,
 * without any {@code ..} segment, lies under an allowed root and still does after every symbolic
 * link is resolved; so a producer of events can name files the operator shared, nothing else.
 * Writes go under the output root (which is readable too), through a temporary file and an atomic
 * rename, so a reader never sees half an image.
 */
public final class FileBlobStore implements BlobStore {
  /** Keys are relative names of plain segments; no ".", "..", empty or hidden segments. */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_%-][A-Za-z0-9._%-]*(/[A-Za-z0-9_%-][A-Za-z0-9._%-]*)*");

  private final List<Root> readRoots;
  private final Root outputRoot;

  /**
   * @param allowedRoots existing directories URIs may point into
   * @param outputRoot   where {@link #write} puts blobs (created if missing); null: this store only reads
   * @throws IllegalArgumentException when a root is not an absolute path of an existing directory
   */
  public FileBlobStore(List<Path> allowedRoots, Path outputRoot) {
    List<Root> roots = new ArrayList<>();
    for (Path root : allowedRoots) {
      roots.add(Root.of(root, false));
    }
    this.outputRoot = outputRoot == null ? null : Root.of(outputRoot, true);
    if (this.outputRoot != null) {
      roots.add(this.outputRoot);
    }
    this.readRoots = List.copyOf(roots);
  }

  @Override
  public byte[] read(URI uri, long maxBytes) {
    Path file = resolveExisting(uri);
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw tooLarge(uri, size + " bytes", maxBytes);
      }
      // The size was checked, but the file may grow: never read more than the limit allows.
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
          throw tooLarge(uri, "more than " + maxBytes + " bytes", maxBytes);
        }
        return bytes;
      }
    } catch (IOException e) {
      throw new BlobAccessException(Reason.IO_ERROR, "blob " + uri + " could not be read: " + e, e);
    }
  }

  @Override
  public URI write(String key, byte[] bytes) {
    if (outputRoot == null) {
      throw new BlobAccessException(Reason.NOT_WRITABLE, "blob " + key + " cannot be written: no output root is"
          + " configured (aligntok.blob.output-root)");
    }
    if (key == null || !KEY.matcher(key).matches()) {
      throw new BlobAccessException(Reason.MALFORMED, "blob key '" + key + "' refused: keys are relative names of"
          + " letters, digits, '.', '_', '%' and '-' separated by '/', no segment starting with '.'");
    }
    Path target = outputRoot.real().resolve(key);
    Path temporary = null;
    try {
      Path parent = Files.createDirectories(target.getParent());
      if (!parent.toRealPath().startsWith(outputRoot.real())) {
        throw new BlobAccessException(Reason.OUTSIDE_ALLOWED_ROOTS, "blob " + key + " refused: its directory resolves"
            + " to " + parent.toRealPath() + ", outside the output root " + outputRoot.real());
      }
      temporary = Files.createTempFile(parent, ".tmp-", ".part");
      Files.write(temporary, bytes);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target.toUri();
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw new BlobAccessException(Reason.IO_ERROR, "blob " + key + " could not be written under "
          + outputRoot.real() + ": " + e, e);
    }
  }

  @Override
  public boolean exists(URI uri) {
    try {
      resolveExisting(uri);
      return true;
    } catch (BlobAccessException e) {
      return false;
    }
  }

  /** The real path of an existing regular file under an allowed root, or the rule the URI breaks. */
  private Path resolveExisting(URI uri) {
    Path path = pathOf(uri);
    for (Path part : path) {
      if (part.toString().equals("..")) {
        throw BlobAccessException.of(Reason.OUTSIDE_ALLOWED_ROOTS, uri, "'..' segments are refused; name the file by"
            + " its path under an allowed root " + rootsText());
      }
    }
    // Checked before touching the file system, so the answer says nothing about files elsewhere.
    if (readRoots.stream().noneMatch(root -> root.containsLexically(path))) {
      throw BlobAccessException.of(Reason.OUTSIDE_ALLOWED_ROOTS, uri, "the path is not under an allowed root "
          + rootsText() + " (aligntok.blob.allowed-roots)");
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw BlobAccessException.of(Reason.NOT_FOUND, uri, "no such file");
    } catch (AccessDeniedException e) {
      throw BlobAccessException.of(Reason.IO_ERROR, uri, "permission denied");
    } catch (IOException e) {
      throw new BlobAccessException(Reason.IO_ERROR, "blob " + uri + " could not be resolved: " + e, e);
    }
    if (readRoots.stream().noneMatch(root -> real.startsWith(root.real()))) {
      throw BlobAccessException.of(Reason.OUTSIDE_ALLOWED_ROOTS, uri, "a symbolic link leads to " + real
          + ", outside the allowed roots " + rootsText());
    }
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw BlobAccessException.of(Reason.NOT_A_FILE, uri, "it is a directory or a special file, not a regular file");
    }
    return real;
  }

  private static Path pathOf(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null || !scheme.toLowerCase(Locale.ROOT).equals("file")) {
      throw BlobAccessException.of(Reason.UNSUPPORTED_SCHEME, uri, "only file:// URIs are read here"
          + (scheme == null ? "" : "; '" + scheme + "' needs a blob store for that scheme"));
    }
    if (uri.isOpaque() || (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty())
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw BlobAccessException.of(Reason.MALFORMED, uri, "a file URI is file:///absolute/path, without host, query"
          + " or fragment");
    }
    try {
      return Path.of(uri);
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw BlobAccessException.of(Reason.MALFORMED, uri, "not a path: " + e.getMessage());
    }
  }

  private String rootsText() {
    return readRoots.stream().map(root -> root.configured().toString()).toList().toString();
  }

  private static BlobAccessException tooLarge(URI uri, String size, long maxBytes) {
    return BlobAccessException.of(Reason.TOO_LARGE, uri, "it has " + size + ", the limit is " + maxBytes + " bytes");
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // Only a leftover temporary file: the error being reported matters more.
      }
    }
  }

  /** A root as configured (absolute, normalized) and as the file system resolves it. */
  private record Root(Path configured, Path real) {
    static Root of(Path directory, boolean create) {
      if (directory == null || !directory.isAbsolute()) {
        throw new IllegalArgumentException("blob root " + directory + " must be an absolute path");
      }
      try {
        if (create) {
          Files.createDirectories(directory);
        }
        Path real = directory.toRealPath();
        if (!Files.isDirectory(real)) {
          throw new IllegalArgumentException("blob root " + directory + " is not a directory");
        }
        return new Root(directory.normalize(), real);
      } catch (IOException e) {
        throw new IllegalArgumentException("blob root " + directory + " is not an existing directory: " + e, e);
      }
    }

    boolean containsLexically(Path path) {
      return path.startsWith(configured) || path.startsWith(real);
    }
  }
}
