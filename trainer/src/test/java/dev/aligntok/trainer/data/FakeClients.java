package dev.aligntok.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stands in for npm, apt-get and dpkg (and the network) in fetcher tests. {@code tar} runs for
 * real, so extraction is the genuine article.
 */
final class FakeClients implements CommandRunner {
  final List<List<String>> calls = new ArrayList<>();
  /** Programs that behave as not installed. */
  final Set<String> missing = new HashSet<>();
  /** Canned results by "program subcommand", e.g. "npm view". */
  final Map<String, Result> overrides = new HashMap<>();
  /** What `npm pack` or `apt-get download` leaves in the working directory. */
  Path archive;
  /** Files `dpkg-deb -x` creates in its target. */
  List<String> debFiles = List.of();

  static Result ok(String stdout) {
    return new Result(0, stdout, "", false);
  }

  static Result failed(int exit, String stderr) {
    return new Result(exit, "", stderr, false);
  }

  boolean ran(String program, String subcommand) {
    return calls.stream().anyMatch(call -> call.get(0).equals(program) && call.get(1).equals(subcommand));
  }

  @Override
  public Result run(List<String> command, Path workingDir, Duration timeout) throws IOException {
    calls.add(command);
    String program = command.get(0);
    if (missing.contains(program)) {
      throw new IOException("Cannot run program \"" + program + "\": error=2, No such file or directory");
    }
    String key = program + " " + command.get(1);
    if (overrides.containsKey(key)) {
      return overrides.get(key);
    }
    switch (key) {
      case "npm view":
        return ok("\n"); // like the registry here: no dist.unpackedSize
      case "npm pack":
      case "apt-get download":
        Files.copy(archive, workingDir.resolve(archive.getFileName()));
        return ok("[]");
      case "apt-cache show":
        return ok("Package: fake\nVersion: 1\nInstalled-Size: 2\nSize: 1234\n");
      case "dpkg-deb -x":
        Path target = Path.of(command.get(3));
        for (String file : debFiles) {
          Files.createDirectories(target.resolve(file).getParent());
          Files.writeString(target.resolve(file), "data");
        }
        return ok("");
      case "tar -xzf":
        return CommandRunner.system().run(command, workingDir, timeout);
      default:
        if (command.get(1).equals("--version")) {
          return ok(program + " 1.0");
        }
        throw new IllegalStateException("unexpected command " + command);
    }
  }
}
