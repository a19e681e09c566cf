package dev.aligntok.trainer.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs an external client (npm, apt-get, dpkg, tar). An interface so tests can stand in for the
 * clients and the network.
 */
@FunctionalInterface
public interface CommandRunner {
  /**
   * What a finished (or timed-out) command left behind.
   *
   * @param exitCode the process's exit status (-1 when it timed out)
   */
  record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
    /** npm's stack frames, error-object fields and braces: long, and no help to a user. */
    private static final Pattern NPM_NOISE =
        Pattern.compile("(npm error|npm ERR!)(\\s*|\\s*[{}]|\\s{2,}(at |\\w+: ).*)");

    public boolean succeeded() {
      return exitCode == 0 && !timedOut;
    }

    /**
     * The informative lines of stderr (or stdout when stderr is empty), at most six, for error
     * messages: npm's stack traces, error-object fields and log-file pointers are left out.
     */
    public String summary() {
      String text = stderr.isBlank() ? stdout : stderr;
      List<String> useful = text.lines().map(String::stripTrailing)
          .filter(line -> !line.isBlank())
          .filter(line -> !NPM_NOISE.matcher(line).matches())
          .filter(line -> !line.contains("A complete log of this run"))
          .toList();
      return useful.isEmpty() ? "(no output)" : String.join("\n", useful.subList(0, Math.min(6, useful.size())));
    }
  }

  /**
   * Runs {@code command} in {@code workingDir}.
   *
   * @throws IOException when the program cannot be started (typically: not installed)
   */
  Result run(List<String> command, Path workingDir, Duration timeout) throws IOException;

  /** Real processes; output goes through temporary files so a chatty client cannot block on a pipe. */
  public static CommandRunner system() {
    return (command, workingDir, timeout) -> {
      Path out = Files.createTempFile("aligntok-cmd", ".out");
      Path err = Files.createTempFile("aligntok-cmd", ".err");
      try {
        Process process = new ProcessBuilder(command).directory(workingDir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
        process.getOutputStream().close(); // no prompts: a client asking a question fails instead of hanging
        boolean finished;
        try {
          finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        if (!finished) {
          process.destroyForcibly();
        }
        // Lenient decoding: a client's odd byte must not hide its error message.
        return new Result(finished ? process.exitValue() : -1, new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
            new String(Files.readAllBytes(err), StandardCharsets.UTF_8), !finished);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    };
  }
}
