package dev.aligntok.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads idx files (MNIST, Fashion-MNIST), raw or gzip-compressed (detected by content, not name).
 *
 * <p>Header: two zero bytes, the element type (only 0x08, unsigned byte, is supported), the number
 * of dimensions (1–4), then each dimension as a big-endian int. The declared size is checked
 * against the real one <em>before</em> the data array is allocated: the file size for raw files,
 * the gzip trailer's ISIZE (uncompressed length mod 2³²) for compressed ones. After reading, the
 * stream must be exactly exhausted.
 */
public final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;
  private static final int MAX_DIMENSIONS = 4;

  /**
   * The header of an idx file.
   *
   * @param dims dimensions, outermost first
   * @param headerBytes 4 + 4 × dimensions
   */
  public record Header(int[] dims, int headerBytes) {
    public Header {
      dims = dims.clone();
    }

    @Override
    public int[] dims() {
      return dims.clone();
    }

    /** Number of data bytes the header declares. */
    public long dataBytes() {
      long product = 1;
      for (int dim : dims) {
        product *= dim;
      }
      return product;
    }
  }

  private IdxReader() {}

  /** Reads only the header (cheap even for a 47 MB file). */
  public static Header readHeader(Path file) {
    try (DataInputStream in = open(file)) {
      return readHeader(in, file);
    } catch (IOException e) {
      throw new DataException("cannot read idx file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads and validates the whole file. */
  public static IdxArray read(Path file) {
    try {
      long expectedTotal;
      boolean gzip = isGzip(file);
      try (DataInputStream in = open(file)) {
        Header header = readHeader(in, file);
        long dataBytes = header.dataBytes();
        if (dataBytes > Integer.MAX_VALUE - 16) {
          throw new DataException(file + ": header declares " + Arrays.toString(header.dims()) + " = "
              + dataBytes + " bytes, more than one array can hold");
        }
        expectedTotal = header.headerBytes() + dataBytes;
        long actualTotal = gzip ? gzipDeclaredSize(file) : Files.size(file);
        long comparable = gzip ? expectedTotal & 0xffffffffL : expectedTotal;
        if (actualTotal != comparable) {
          throw new DataException(file + ": header declares " + Arrays.toString(header.dims()) + " (" + expectedTotal
              + " bytes with the header) but the " + (gzip ? "uncompressed " : "") + "file holds " + actualTotal
              + " bytes: truncated, padded or not an idx file");
        }
        byte[] data = new byte[(int) dataBytes];
        int read = in.readNBytes(data, 0, data.length);
        if (read != data.length) {
          throw new DataException(file + ": truncated: expected " + data.length + " data bytes, found " + read);
        }
        if (in.read() != -1) {
          throw new DataException(file + ": unexpected bytes after the " + data.length + " data bytes the header declares");
        }
        return new IdxArray(header.dims(), data);
      }
    } catch (EOFException e) {
      throw new DataException(file + ": truncated idx file (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new DataException("cannot read idx file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Header readHeader(DataInputStream in, Path file) throws IOException {
    int zero1 = in.read();
    int zero2 = in.read();
    int type = in.read();
    int rank = in.read();
    if (rank < 0) {
      throw new DataException(file + ": shorter than an idx header (4 bytes)");
    }
    if (zero1 != 0 || zero2 != 0) {
      throw new DataException(String.format("%s: starts with 0x%02x%02x%02x%02x, not an idx header "
          + "(expected 0x0000, element type, number of dimensions)", file, zero1, zero2, type, rank));
    }
    if (type != UNSIGNED_BYTE) {
      throw new DataException(String.format("%s: element type 0x%02x is not supported; only unsigned byte (0x08) "
          + "idx files (MNIST-style images and labels) are", file, type));
    }
    if (rank < 1 || rank > MAX_DIMENSIONS) {
      throw new DataException(file + ": " + rank + " dimensions declared; expected 1 to " + MAX_DIMENSIONS);
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = in.readInt();
      if (dims[i] <= 0) {
        throw new DataException(file + ": dimension " + i + " is " + dims[i] + "; every dimension must be > 0");
      }
    }
    return new Header(dims, 4 + 4 * rank);
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return new DataInputStream(isGzip(file) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  /** The gzip trailer's ISIZE: the uncompressed length modulo 2³² (single-member files). */
  private static long gzipDeclaredSize(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      if (raf.length() < 18) {
        throw new DataException(file + ": too short to be a gzip file (" + raf.length() + " bytes)");
      }
      raf.seek(raf.length() - 4);
      byte[] trailer = new byte[4];
      raf.readFully(trailer);
      return (trailer[0] & 0xffL) | (trailer[1] & 0xffL) << 8 | (trailer[2] & 0xffL) << 16 | (trailer[3] & 0xffL) << 24;
    }
  }
}
