package dev.aligntok.stream.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.stream.blob.BlobAccessException.Reason;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** FileBlobStore on a real temporary file system: what it reads, what it refuses and why. */
class FileBlobStoreTest {
  private static final byte[] IMAGE = {1, 2, 3, 4, 5};

  @TempDir Path tmp;
  private Path shared;
  private Path secret;
  private FileBlobStore store;

  @BeforeEach
  void files() throws IOException {
    shared = Files.createDirectories(tmp.resolve("shared"));
    secret = Files.write(tmp.resolve("secret.png"), IMAGE);
    Files.write(Files.createDirectories(shared.resolve("sub")).resolve("a.png"), IMAGE);
    store = new FileBlobStore(List.of(shared), null);
  }

  @Test
  void readsAFileUnderAnAllowedRoot() {
    URI uri = shared.resolve("sub/a.png").toUri();
    assertArrayEquals(IMAGE, store.read(uri, 5));
    assertTrue(store.exists(uri));
  }

  @Test
  void refusesAFileAboveTheLimitBeforeReadingIt() {
    BlobAccessException e = refused(Reason.TOO_LARGE, () -> store.read(shared.resolve("sub/a.png").toUri(), 4));
    assertTrue(e.getMessage().contains("5 bytes, the limit is 4"), e.getMessage());
  }

  @Test
  void refusesDotDotEvenWhenItWouldLandInsideARoot() {
    BlobAccessException e = refused(Reason.OUTSIDE_ALLOWED_ROOTS,
        () -> store.read(URI.create(shared.toUri() + "sub/../sub/a.png"), 100));
    assertTrue(e.getMessage().contains("'..'"), e.getMessage());
    refused(Reason.OUTSIDE_ALLOWED_ROOTS, () -> store.read(URI.create(shared.toUri() + "../secret.png"), 100));
  }

  @Test
  void refusesAPathOutsideTheRootsWithoutSayingWhetherItExists() {
    BlobAccessException there = refused(Reason.OUTSIDE_ALLOWED_ROOTS, () -> store.read(secret.toUri(), 100));
    refused(Reason.OUTSIDE_ALLOWED_ROOTS, () -> store.read(tmp.resolve("nothing.png").toUri(), 100));
    assertTrue(there.getMessage().contains(secret.toUri().toString()), "names the URI: " + there.getMessage());
    assertTrue(there.getMessage().contains(shared.toString()), "names the roots: " + there.getMessage());
    assertFalse(store.exists(secret.toUri()));
  }

  @Test
  void neverFollowsASymbolicLinkWhereverItLeads() throws IOException {
    Path link = Files.createSymbolicLink(shared.resolve("escape.png"), secret);
    BlobAccessException e = refused(Reason.NOT_A_FILE, () -> store.read(link.toUri(), 100));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    Path inside = Files.createSymbolicLink(shared.resolve("alias.png"), shared.resolve("sub/a.png"));
    refused(Reason.NOT_A_FILE, () -> store.read(inside.toUri(), 100));
    assertFalse(store.exists(link.toUri()));
  }

  @Test
  void refusesASymbolicLinkedDirectoryThatLeadsOutOfTheRoot() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.write(outside.resolve("b.png"), new byte[] {6, 6, 6});
    Files.createSymbolicLink(shared.resolve("dir"), outside);
    BlobAccessException e = refused(Reason.NOT_A_FILE, () -> store.read(shared.resolve("dir/b.png").toUri(), 100));
    assertTrue(e.getMessage().contains("its directory dir is a symbolic link"), e.getMessage());
    assertFalse(store.exists(shared.resolve("dir/b.png").toUri()));
  }

  @Test
  void aFileSwappedForALinkIsNeverReadThroughIt() throws Exception {
    byte[] outside = {6, 6, 6};
    Files.write(secret, outside);
    Path file = shared.resolve("sub/a.png");
    Path staged = shared.resolve("sub/staged-link");
    AtomicBoolean stop = new AtomicBoolean();
    // Swaps the file for a link to the secret and back, atomically (rename), as fast as it can.
    Thread swapper = new Thread(() -> {
      try {
        while (!stop.get()) {
          Files.deleteIfExists(staged);
          Files.createSymbolicLink(staged, secret);
          Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          Files.write(shared.resolve("sub/staged-file"), IMAGE);
          Files.move(shared.resolve("sub/staged-file"), file, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    swapper.start();
    int read = 0;
    int refusedCount = 0;
    try {
      for (int i = 0; i < 3_000; i++) {
        try {
          assertArrayEquals(IMAGE, store.read(file.toUri(), 100), "only the file under the root is ever read");
          read++;
        } catch (BlobAccessException e) {
          assertTrue(e.reason() == Reason.NOT_A_FILE || e.reason() == Reason.NOT_FOUND, e.getMessage());
          refusedCount++;
        }
      }
    } finally {
      stop.set(true);
      swapper.join();
    }
    assertTrue(refusedCount > 0, "the link was seen (reads " + read + ")");
  }

  @Test
  void refusesAFifoWithoutBlockingOnIt() throws Exception {
    Path fifo = shared.resolve("pipe.png");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor());
    BlobAccessException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> assertThrows(BlobAccessException.class, () -> store.read(fifo.toUri(), 100)));
    assertEquals(Reason.NOT_A_FILE, e.reason(), e.getMessage());
    assertFalse(store.exists(fifo.toUri()));
  }

  @Test
  void refusesADeviceWithoutReadingIt() {
    FileBlobStore devices = new FileBlobStore(List.of(Path.of("/dev")), null);
    BlobAccessException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> assertThrows(BlobAccessException.class, () -> devices.read(URI.create("file:///dev/zero"), 100)));
    assertEquals(Reason.NOT_A_FILE, e.reason(), e.getMessage());
  }

  @Test
  void refusesOtherSchemesMissingFilesDirectoriesAndHosts() {
    BlobAccessException s3 = refused(Reason.UNSUPPORTED_SCHEME, () -> store.read(URI.create("s3://bucket/a.png"), 100));
    assertTrue(s3.getMessage().contains("s3://bucket/a.png") && s3.getMessage().contains("only file://"), s3.getMessage());
    refused(Reason.UNSUPPORTED_SCHEME, () -> store.read(URI.create("/no/scheme.png"), 100));
    refused(Reason.NOT_FOUND, () -> store.read(shared.resolve("missing.png").toUri(), 100));
    refused(Reason.NOT_A_FILE, () -> store.read(shared.resolve("sub").toUri(), 100));
    refused(Reason.MALFORMED, () -> store.read(URI.create("file://otherhost" + shared.resolve("sub/a.png")), 100));
    refused(Reason.MALFORMED, () -> store.read(URI.create(shared.resolve("sub/a.png").toUri() + "?v=1"), 100));
  }

  @Test
  void writesUnderTheOutputRootAtomicallyAndReadsItBack() throws IOException {
    Path out = tmp.resolve("out/generated");
    FileBlobStore writer = new FileBlobStore(List.of(), out);
    URI first = writer.write("req-1/0.png", IMAGE);
    assertEquals(out.toRealPath().resolve("req-1/0.png").toUri(), first);
    URI again = writer.write("req-1/0.png", new byte[] {9});
    assertEquals(first, again, "a retried write replaces the blob under the same URI");
    assertArrayEquals(new byte[] {9}, writer.read(again, 10), "the output root is readable");
    try (Stream<Path> files = Files.list(out.resolve("req-1"))) {
      assertEquals(List.of("0.png"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
    }
  }

  @Test
  void refusesKeysThatCouldLeaveTheOutputRootAndWritesWithoutOne() {
    FileBlobStore writer = new FileBlobStore(List.of(), tmp.resolve("out"));
    for (String key : List.of("../x.png", "/abs.png", "a/../../x.png", ".hidden", "a//b", "a/./b", "")) {
      refused(Reason.MALFORMED, () -> writer.write(key, IMAGE));
    }
    BlobAccessException e = refused(Reason.NOT_WRITABLE, () -> store.write("a.png", IMAGE));
    assertTrue(e.getMessage().contains("aligntok.blob.output-root"), e.getMessage());
  }

  @Test
  void aRootMustBeAnExistingAbsoluteDirectory() {
    assertThrows(IllegalArgumentException.class, () -> new FileBlobStore(List.of(Path.of("relative")), null));
    assertThrows(IllegalArgumentException.class, () -> new FileBlobStore(List.of(tmp.resolve("absent")), null));
    assertThrows(IllegalArgumentException.class, () -> new FileBlobStore(List.of(secret), null));
  }

  private static BlobAccessException refused(Reason reason, Executable access) {
    BlobAccessException e = assertThrows(BlobAccessException.class, access);
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }
}
