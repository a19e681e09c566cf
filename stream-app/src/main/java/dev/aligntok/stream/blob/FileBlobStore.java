package dev.aligntok.stream.blob;

import dev.aligntok.stream.blob.BlobAccessException.Reason;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;


/**
 * {@code file://} blobs, confined to configured directories. A URI is read only when its path,
 * without any {@code ..} segment, names a regular file under an allowed root, reached without any
 * symbolic link: the directories are walked down from the root and the file is opened without
 * following links (openat, O_NOFOLLOW), then checked to be the regular file checked before the
 * open; so a producer of events can name files the operator shared, nothing else, even while
 * someone swaps files for links. FIFOs and devices are refused before any open (which could block
 * on a FIFO); one swapped in within the moment between that check and the open is still refused
 * after it (though an open of a FIFO may then wait for a writer: Java has no O_NONBLOCK open).

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
    Confined file = confine(uri);
    try (SecureDirectoryStream<Path> directory = file.openParent()) {
      BasicFileAttributeView view = directory.getFileAttributeView(file.name(), BasicFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS);
      BasicFileAttributes before = regularFile(uri, view);
      if (before.size() > maxBytes) {
        throw tooLarge(uri, before.size() + " bytes", maxBytes);
      }
      try (SeekableByteChannel channel = openNoFollow(uri, directory, file.name())) {
        BasicFileAttributes after = regularFile(uri, view);
        if (!Objects.equals(before.fileKey(), after.fileKey())) {
          throw BlobAccessException.of(Reason.NOT_A_FILE, uri, "the file was replaced while it was being opened");
        }
        // The size was checked, but the file may grow: never read more than the limit allows.
        byte[] bytes = Channels.newInputStream(channel).readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
          throw tooLarge(uri, "more than " + maxBytes + " bytes", maxBytes);
        }
        return bytes;
      }
    } catch (NoSuchFileException e) {
      throw BlobAccessException.of(Reason.NOT_FOUND, uri, "no such file");
    } catch (AccessDeniedException e) {
      throw BlobAccessException.of(Reason.IO_ERROR, uri, "permission denied");
    } catch (IOException e) {
      throw new BlobAccessException(Reason.IO_ERROR, "blob " + uri + " could not be read: " + e, e);
    }
  }

  /**
   * Opens {@code name} in {@code directory} without following a link (O_NOFOLLOW). A FIFO or device
   * was refused before this, so the open cannot block on one unless it was swapped in just now.
   */
  private static SeekableByteChannel openNoFollow(URI uri, SecureDirectoryStream<Path> directory, Path name)
      throws IOException {
    try {
      return directory.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw e;
    } catch (IOException e) {
      // A link swapped in after the check: the kernel refuses to open it (ELOOP).
      throw BlobAccessException.of(Reason.NOT_A_FILE, uri, "it could not be opened as a regular file without"
          + " following links (" + e.getMessage() + ")");
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
      Confined file = confine(uri);
      try (SecureDirectoryStream<Path> directory = file.openParent()) {
        regularFile(uri, directory.getFileAttributeView(file.name(), BasicFileAttributeView.class,
            LinkOption.NOFOLLOW_LINKS));
        return true;
      }
    } catch (BlobAccessException | IOException e) {
      return false;
    }
  }

  /**
   * The URI's file as a name relative to an allowed root, or the rule the URI breaks. Nothing here
   * touches the file system (so a refusal says nothing about files elsewhere): the walk down from
   * the root ({@link Confined#openParent}) does, one directory at a time and never through a link,
   * so no swap between a check and an open can lead outside the root.
   */
  private Confined confine(URI uri) {
    Path path = pathOf(uri);
    for (Path part : path) {
      if (part.toString().equals("..")) {
        throw BlobAccessException.of(Reason.OUTSIDE_ALLOWED_ROOTS, uri, "'..' segments are refused; name the file by"
            + " its path under an allowed root " + rootsText());
      }
    }
    boolean aRoot = false;
    for (Root root : readRoots) {
      Path relative = root.relativeName(path);
      if (relative != null && !relative.toString().isEmpty()) {
        return new Confined(uri, root.real(), relative);
      }
      aRoot |= relative != null;
    }
    if (aRoot) {
      throw BlobAccessException.of(Reason.NOT_A_FILE, uri, "it is an allowed root itself, not a file");
    }
    throw BlobAccessException.of(Reason.OUTSIDE_ALLOWED_ROOTS, uri, "the path is not under an allowed root "
        + rootsText() + " (aligntok.blob.allowed-roots)");
  }

  /** The attributes of a regular file (never through a link), or why it is not one. */
  private static BasicFileAttributes regularFile(URI uri, BasicFileAttributeView view) throws IOException {
    BasicFileAttributes attributes = view.readAttributes();
    if (attributes.isSymbolicLink()) {
      throw BlobAccessException.of(Reason.NOT_A_FILE, uri, "it is a symbolic link; links are never followed, so"
          + " none can lead outside the allowed roots");
    }
    if (!attributes.isRegularFile()) {
      throw BlobAccessException.of(Reason.NOT_A_FILE, uri, "it is a directory or a special file, not a regular file");
    }
    return attributes;
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

    /** {@code path} relative to this root as configured or as resolved, or null when it is under neither. */
    Path relativeName(Path path) {
      Path normalized = path.normalize();
      if (normalized.startsWith(configured)) {
        return configured.relativize(normalized);
      }
      return normalized.startsWith(real) ? real.relativize(normalized) : null;
    }
  }

  /** A file named relative to the real path of an allowed root. */
  private record Confined(URI uri, Path root, Path relative) {
    Path name() {
      return relative.getFileName();
    }

    /**
     * Opens the file's directory by walking down from the root one name at a time: each step is
     * checked not to be a link and opened without following one (openat with O_NOFOLLOW), so a
     * directory swapped for a link at any moment fails the walk instead of leaving the root.
     */
    SecureDirectoryStream<Path> openParent() throws IOException {
      DirectoryStream<Path> opened = Files.newDirectoryStream(root);
      if (!(opened instanceof SecureDirectoryStream<Path> secure)) {
        opened.close();
        throw new BlobAccessException(Reason.IO_ERROR, "blob " + uri + " cannot be read safely: this file system"
            + " offers no secure directory streams (openat), so links could not be refused race-free");
      }
      SecureDirectoryStream<Path> current = secure;
      try {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
          Path step = relative.getName(i);
          BasicFileAttributes attributes = current.getFileAttributeView(step, BasicFileAttributeView.class,
              LinkOption.NOFOLLOW_LINKS).readAttributes();
          if (attributes.isSymbolicLink()) {
            throw BlobAccessException.of(Reason.NOT_A_FILE, uri, "its directory " + relative.subpath(0, i + 1)
                + " is a symbolic link; links are never followed, so none can lead outside the allowed roots");
          }
          if (!attributes.isDirectory()) {
            throw BlobAccessException.of(Reason.NOT_FOUND, uri, "no such file");
          }
          SecureDirectoryStream<Path> next = current.newDirectoryStream(step, LinkOption.NOFOLLOW_LINKS);
          current.close();
          current = next;
        }
        return current;
      } catch (IOException | RuntimeException e) {
        current.close();
        throw e;
      }
    }
  }

}
