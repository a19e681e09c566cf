package dev.aligntok.trainer.features;

import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.inference.io.Directories;
import dev.aligntok.inference.io.Sha256;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Features of real images kept on disk, so that evaluations which see the same images again (every
 * checkpoint of a study is judged against the same held-out and training images) compute them once.
 * An entry is keyed by the extractor's name and a SHA-256 of the batch's shape and pixels: another
 * image, resize or batch boundary is another entry. The extractor's weights must not change under
 * one name (the pretrained packages are pinned). Entries can be deleted at any time.
 */
public final class FeatureCache {
  private static final FeatureCache NONE = new FeatureCache(null);

  private final Path directory;

  private FeatureCache(Path directory) {
    this.directory = directory;
  }

  /** A cache in {@code directory} (created on first write). */
  public static FeatureCache at(Path directory) {
    return new FeatureCache(directory);
  }

  /** No cache: {@link #of} returns the extractor itself. */
  public static FeatureCache none() {
    return NONE;
  }

  /**
   * {@code extractor} reading and filling this cache; closing the result does not close
   * {@code extractor} (its owner does).
   */
  public FeatureExtractor of(FeatureExtractor extractor) {
    return directory == null ? extractor : new Cached(extractor, directory);
  }

  private static final class Cached implements FeatureExtractor {
    private final FeatureExtractor inner;
    private final Path directory;

    Cached(FeatureExtractor inner, Path directory) {
      this.inner = inner;
      this.directory = directory;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public int dimensions() {
      return inner.dimensions();
    }

    @Override
    public double[][] extract(ImageBatch images) {
      Path file = directory.resolve(key(images) + ".features");
      double[][] stored = read(file, images.count());
      if (stored != null) {
        return stored;
      }
      double[][] features = inner.extract(images);
      write(file, features);
      return features;
    }

    @Override
    public void close() {}

    private String key(ImageBatch images) {
      MessageDigest sha = Sha256.newDigest();
      sha.update(inner.name().getBytes(StandardCharsets.UTF_8));
      sha.update(ByteBuffer.allocate(12).putInt(images.count()).putInt(images.height()).putInt(images.width())
          .array());
      ByteBuffer pixels = ByteBuffer.allocate(4 * images.pixels().length).order(ByteOrder.LITTLE_ENDIAN);
      pixels.asFloatBuffer().put(images.pixels());
      sha.update(pixels.array());
      return Sha256.hex(sha.digest());
    }

    /** The stored rows, or null when absent or not what this batch needs (then they are recomputed). */
    private double[][] read(Path file, int rows) {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
        int storedRows = in.readInt();
        int columns = in.readInt();
        if (storedRows != rows || columns != inner.dimensions()) {
          return null;
        }
        double[][] features = new double[rows][columns];
        for (double[] row : features) {
          for (int c = 0; c < columns; c++) {
            row[c] = in.readDouble();
          }
        }
        return features;
      } catch (IOException e) {
        return null; // truncated or unreadable: recompute and overwrite
      }
    }

    /** Written to a temporary file and moved into place, so a reader never sees half an entry. */
    private void write(Path file, double[][] features) {
      try {
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, "features", ".partial");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
          out.writeInt(features.length);
          out.writeInt(features.length == 0 ? inner.dimensions() : features[0].length);
          for (double[] row : features) {
            for (double value : row) {
              out.writeDouble(value);
            }
          }
        }
        Directories.moveAtomically(partial, file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the feature cache entry " + file, e);
      }
    }
  }
}
