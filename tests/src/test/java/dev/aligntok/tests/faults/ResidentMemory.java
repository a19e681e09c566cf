package dev.aligntok.tests.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's peak resident set size, as Linux reports it ({@code VmHWM} in {@code /proc/<pid>/status}). */
final class ResidentMemory {
  private ResidentMemory() {}

  static long peakBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmHWM:")) {
        String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
        if (parts.length != 2 || !parts[1].equals("kB")) {
          throw new IOException("unexpected VmHWM line in /proc/" + pid + "/status: " + line);
        }
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    throw new IOException("no VmHWM in /proc/" + pid + "/status");
  }
}
