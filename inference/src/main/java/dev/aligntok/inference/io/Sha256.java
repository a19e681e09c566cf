package dev.aligntok.inference.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one home of SHA-256 in the project: files (streamed), bytes and text (UTF-8), as lower-case hex;
 * {@link #digest} for the raw 32 bytes (e.g. to compare in constant time with
 * {@link MessageDigest#isEqual}); {@link #newDigest} and {@link #hex} for data hashed in parts.
 */
public final class Sha256 {
  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  public static String of(Path file) {
    MessageDigest sha = newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return hex(sha.digest());
  }

  public static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String of(byte[] bytes) {
    return hex(newDigest().digest(bytes));
  }

  /** The raw 32-byte digest of {@code text} as UTF-8. */
  public static byte[] digest(String text) {
    return newDigest().digest(text.getBytes(StandardCharsets.UTF_8));
  }
}
