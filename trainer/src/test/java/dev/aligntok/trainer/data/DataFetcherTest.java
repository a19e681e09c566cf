package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aligntok.inference.io.Sha256;
import dev.aligntok.trainer.data.DataSource.Kind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFetcherTest {
  @TempDir
  Path tmp;
  private DataCache cache;
  private FakeClients clients;
  private StringWriter log;
  private Path tgz;

  @BeforeEach
  void setUp() throws Exception {
    cache = new DataCache(tmp.resolve("cache"));
    clients = new FakeClients();
    log = new StringWriter();
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("package"));
    Files.writeString(src.resolve("package/emoji.json"), "[]");
    tgz = tmp.resolve("fake-pkg-1.0.0.tgz");
    CommandRunner.Result tar;
    try {
      tar = CommandRunner.system().run(List.of("tar", "-czf", tgz.toString(), "-C", src.toString(), "package"), tmp,
          Duration.ofSeconds(30));
    } catch (java.io.IOException e) {
      tar = null;
    }
    assumeTrue(tar != null && tar.succeeded(), "tar is not available here; fetcher tests need it to build an archive");
    clients.archive = tgz;
  }

  private DataFetcher fetcher() {
    return new DataFetcher(cache, clients, new PrintWriter(log, true));
  }

  private DataSource npmSource(String sha256) {
    return new DataSource("fake", Kind.NPM, "fake-pkg", "1.0.0", sha256, 100, 200, "package",
        List.of("package/emoji.json"), "MIT", "https://registry.example/fake-pkg-1.0.0.tgz", "a fake");
  }

  @Test
  void fetchVerifiesExtractsAtomicallyAndIsIdempotent() throws Exception {
    DataSource source = npmSource(Sha256.of(tgz));
    DataFetcher.Outcome outcome = fetcher().fetch(source);

    assertEquals(DataFetcher.Status.FETCHED, outcome.status());
    assertTrue(cache.isVerified(source));
    assertEquals("[]", Files.readString(cache.npmPackageDir("fake-pkg", "1.0.0").resolve("emoji.json")));
    assertEquals(source.sha256(), cache.markerSha256(source).orElseThrow());
    assertEquals(Files.size(tgz), outcome.archiveBytes());
    assertTrue(isEmpty(cache.tmpDir()), "scratch left behind in " + cache.tmpDir());
    assertTrue(log.toString().contains("pinned; the registry reports no dist.unpackedSize"), log.toString());

    clients.calls.clear();
    assertEquals(DataFetcher.Status.ALREADY_PRESENT, fetcher().fetch(source).status());
    assertTrue(clients.calls.isEmpty(), "second fetch ran " + clients.calls);
  }

  @Test
  void aChecksumMismatchInstallsNothing() throws Exception {
    DataSource source = npmSource("0".repeat(64));
    FetchException error = assertThrows(FetchException.class, () -> fetcher().fetch(source));

    assertTrue(error.getMessage().contains("checksum mismatch"), error.getMessage());
    assertTrue(error.getMessage().contains(Sha256.of(tgz)), error.getMessage());
    assertFalse(Files.exists(cache.sourceDir(source)));
    assertTrue(isEmpty(cache.tmpDir()));
  }

  @Test
  void aMissingClientIsNamedWithTheCommandsToDoItByHand() {
    clients.missing.add("npm");
    FetchException error = assertThrows(FetchException.class, () -> fetcher().fetch(npmSource("a".repeat(64))));
    String message = error.getMessage();
    assertTrue(message.contains("npm is not installed"), message);
    assertTrue(message.contains("npm pack fake-pkg@1.0.0"), message);
    assertTrue(message.contains("sha256sum fake-pkg-1.0.0.tgz        # must print " + "a".repeat(64)), message);
    assertTrue(message.contains("tar -xzf fake-pkg-1.0.0.tgz -C " + cache.sourceDir(npmSource("a".repeat(64)))), message);
  }

  @Test
  void anUnreachableRegistryStopsBeforeDownloading() {
    clients.overrides.put("npm view", FakeClients.failed(1, "npm error code ENOTFOUND\nnpm error network request failed"));
    FetchException error = assertThrows(FetchException.class, () -> fetcher().fetch(npmSource("a".repeat(64))));
    assertTrue(error.getMessage().contains("could not reach the registry"), error.getMessage());
    assertTrue(error.getMessage().contains("ENOTFOUND"), error.getMessage());
    assertFalse(clients.ran("npm", "pack"));
  }

  @Test
  void clientOutputIsTrimmedToTheLinesThatExplain() {
    String npm = String.join("\n", "npm error code ECONNREFUSED", "npm error FetchError: request failed",
        "npm error     at ClientRequest.<anonymous> (index.js:130:14) {", "npm error   code: 'ECONNREFUSED',",
        "npm error }", "npm error", "npm error A complete log of this run can be found in: /x.log");
    assertEquals("npm error code ECONNREFUSED\nnpm error FetchError: request failed",
        FakeClients.failed(1, npm).summary());
    assertEquals("(no output)", FakeClients.failed(1, "").summary());
  }

  @Test
  void aFailedDownloadShowsTheClientsErrorAndTheManualRoute() {
    clients.overrides.put("npm pack", FakeClients.failed(1, "npm error 404 Not Found - GET fake-pkg"));
    FetchException error = assertThrows(FetchException.class, () -> fetcher().fetch(npmSource("a".repeat(64))));
    assertTrue(error.getMessage().contains("404 Not Found"), error.getMessage());
    assertTrue(error.getMessage().contains("curl -fLO https://registry.example/fake-pkg-1.0.0.tgz"), error.getMessage());
  }

  @Test
  void staleAptListsAreCalledOut() throws Exception {
    DataSource deb = debSource("b".repeat(64));
    clients.overrides.put("apt-cache show", FakeClients.failed(100, "E: No packages found"));
    FetchException lists = assertThrows(FetchException.class, () -> fetcher().fetch(deb));
    assertTrue(lists.getMessage().contains("run `apt-get update`"), lists.getMessage());

    clients.overrides.clear();
    clients.overrides.put("apt-get download", FakeClients.failed(100, "E: Can't find a selected version"));
    FetchException download = assertThrows(FetchException.class, () -> fetcher().fetch(deb));
    assertTrue(download.getMessage().contains("apt-get update"), download.getMessage());
    assertTrue(download.getMessage().contains("dpkg -x"), download.getMessage());
  }

  @Test
  void debianSourcesUnpackWithDpkg() throws Exception {
    Path deb = Files.write(tmp.resolve("fake_1_all.deb"), new byte[] {1, 2, 3});
    clients.archive = deb;
    clients.debFiles = List.of("usr/share/datasets/fake/data.gz");
    DataSource source = debSource(Sha256.of(deb));

    assertEquals(DataFetcher.Status.FETCHED, fetcher().fetch(source).status());
    assertTrue(Files.exists(cache.dataDir(source).resolve("data.gz")));
    assertTrue(log.toString().contains("1.2 kB download"), log.toString()); // from apt-cache show
  }

  @Test
  void anUnverifiedTreeIsReplacedByAVerifiedOne() throws Exception {
    DataSource source = npmSource(Sha256.of(tgz));
    Path dir = cache.sourceDir(source);
    Files.createDirectories(dir.resolve("package"));
    Files.writeString(dir.resolve("package/emoji.json"), "hand-made");
    Files.writeString(dir.resolve("junk"), "x");
    assertTrue(cache.isPresent(source));
    assertFalse(cache.isVerified(source));

    fetcher().fetch(source);
    assertTrue(cache.isVerified(source));
    assertEquals("[]", Files.readString(dir.resolve("package/emoji.json")));
    assertFalse(Files.exists(dir.resolve("junk")));
  }

  @Test
  void anArchiveWithoutTheExpectedFilesIsRefused() throws Exception {
    DataSource source = new DataSource("fake", Kind.NPM, "fake-pkg", "1.0.0", Sha256.of(tgz), 1, 1, "package",
        List.of("package/img/google/64"), "MIT", "https://registry.example/x.tgz", "a fake");
    FetchException error = assertThrows(FetchException.class, () -> fetcher().fetch(source));
    assertTrue(error.getMessage().contains("lacks [package/img/google/64]"), error.getMessage());
    assertFalse(Files.exists(cache.sourceDir(source)));
  }

  @Test
  void aDryRunChangesNothing() {
    DataFetcher.Outcome plan = fetcher().plan(npmSource("c".repeat(64)));
    assertEquals(DataFetcher.Status.WOULD_FETCH, plan.status());
    assertFalse(Files.exists(cache.root()));
    assertFalse(clients.ran("npm", "pack"));
    assertTrue(log.toString().contains("would run:") && log.toString().contains("npm pack fake-pkg@1.0.0"), log.toString());
  }

  private DataSource debSource(String sha256) {
    return new DataSource("fake-deb", Kind.DEBIAN, "fake", "1", sha256, 100, 200, "usr/share/datasets/fake",
        List.of("usr/share/datasets/fake/data.gz"), "MIT", "https://deb.example/fake_1_all.deb", "a fake");
  }

  private static boolean isEmpty(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    }
  }
}
