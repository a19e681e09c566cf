package dev.aligntok.inference.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of {@link ImageDecoder}: mutated PNG, JPEG, WebP, GIF and BMP payloads and hand-made hostile ones
 * must each end in an RGB image or an {@link ImageDecodeException} — never another exception, never
 * an error — and allocate no more than the limits allow. The seed is fixed, so a failure names the
 * input number that reproduces it.
 */
class ImageDecoderFuzzTest {
  private static final long SEED = 20_250_117L;
  private static final int INPUTS = 40_000;
  /** Small limits so hostile claims that pass them stay cheap to try thousands of times. */
  private static final ImageLimits FUZZ_LIMITS = new ImageLimits(1 << 20, 1024, 1024, 1_000_000);
  private static final int SQUARE = 16;
  private static final int[] INTERESTING_INTS = {0, 1, 2, 3, 7, 8, 15, 16, 255, 256, 1023, 1024, 1025, 4882, 8192,
      8193, 65535, 65536, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 1_000_000};

  @Test
  void mutatedPayloadsEndInAnImageOrTheTypedExceptionWithinTheAllocationBound() {
    ImageDecoder decoder = new ImageDecoder(FUZZ_LIMITS);
    long bound = allocationBound(FUZZ_LIMITS);
    List<byte[]> seeds = seeds();
    SplittableRandom random = new SplittableRandom(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    long largest = 0;
    for (int i = 0; i < INPUTS; i++) {
      byte[] seed = seeds.get(random.nextInt(seeds.size()));
      Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
      byte[] input = mutation.apply(seed, random);
      boolean square = (i & 1) == 1;
      String name = "input " + i + " (" + mutation + " of a " + ImageFormat.sniff(seed) + ", "
          + (square ? "decodeSquare" : "decodeRgb") + ")";
      long allocated = decodeOnce(decoder, input, square, name, outcomes, failures);
      largest = Math.max(largest, allocated);
      if (allocated > bound) {
        failures.add(name + " allocated " + allocated + " bytes, bound " + bound);
      }
    }
    System.out.println("image fuzzing: " + INPUTS + " inputs, outcomes " + outcomes + ", largest allocation " + largest);
    assertTrue(failures.isEmpty(), failures.size() + " inputs broke the contract, first ones: "
        + failures.subList(0, Math.min(10, failures.size())));
    assertTrue(outcomes.getOrDefault("decoded", 0) > INPUTS / 20, "too few inputs decoded to exercise decoding: " + outcomes);
  }

  @Test
  void handMadeHostileHeadersAndBombsAtTheDefaultLimits() {
    ImageDecoder decoder = new ImageDecoder();
    long bound = allocationBound(ImageLimits.DEFAULT);
    Map<String, byte[]> hostile = new java.util.LinkedHashMap<>();
    hostile.put("8192x4882 RGBA claim, no data", TestImages.pngHeaderOnly(8192, 4882));
    hostile.put("8192x8192 claim, no data", TestImages.pngHeaderOnly(8192, 8192));
    hostile.put("8192x4882 claim, a few bytes of data", png(8192, 4882, 8, 6, List.of(chunk("IDAT", deflate(new byte[64])))));
    hostile.put("8192x4882 grey claim, a few bytes of data", png(8192, 4882, 8, 0, List.of(chunk("IDAT", deflate(new byte[64])))));
    hostile.put("8192x4882 16-bit RGBA claim", png(8192, 4882, 16, 6, List.of(chunk("IDAT", deflate(new byte[4096])))));
    hostile.put("64x64 whose IDAT inflates to 64 MB", png(64, 64, 8, 2, List.of(chunk("IDAT", deflate(new byte[64 << 20])))));
    hostile.put("grey 64x64 whose IDAT inflates to 64 MB", png(64, 64, 8, 0, List.of(chunk("IDAT", deflate(new byte[64 << 20])))));
    byte[] rows = new byte[64 * (1 + 64 * 3)];
    hostile.put("zTXt bomb", png(64, 64, 8, 2, List.of(chunk("zTXt", concat("c\0\0".getBytes(StandardCharsets.ISO_8859_1),
        deflate(new byte[64 << 20]))), chunk("IDAT", deflate(rows)))));
    hostile.put("iCCP bomb", png(64, 64, 8, 2, List.of(chunk("iCCP", concat("p\0\0".getBytes(StandardCharsets.ISO_8859_1),
        deflate(new byte[64 << 20]))), chunk("IDAT", deflate(rows)))));
    hostile.put("chunk length 2^31-1", withLength(png(64, 64, 8, 2, List.of(chunk("tEXt", "a\0b".getBytes(StandardCharsets.ISO_8859_1)),
        chunk("IDAT", deflate(rows)))), 1, 0x7fff_ffff));
    hostile.put("IDAT length 2^32-1", withLength(png(64, 64, 8, 2, List.of(chunk("IDAT", deflate(rows)))), 1, 0xffff_ffff));
    byte[] jpeg = TestImages.encode(TestImages.noise(16, 16, 3), "jpeg");
    hostile.put("JPEG claiming 8192x4882 over 16x16 data", jpegClaiming(jpeg, 8192, 4882));
    hostile.put("JPEG claiming 65535x65535", jpegClaiming(jpeg, 65535, 65535));
    hostile.put("JPEG claiming 0x0", jpegClaiming(jpeg, 0, 0));
    hostile.putAll(OtherFormatBombs.all());

    Map<String, Integer> outcomes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, byte[]> entry : hostile.entrySet()) {
      for (boolean square : new boolean[] {false, true}) {
        String name = entry.getKey() + (square ? " (decodeSquare)" : " (decodeRgb)");
        long allocated = decodeOnce(decoder, entry.getValue(), square, name, outcomes, failures);
        System.out.println(name + ": " + outcomes + ", allocated " + allocated);
        if (allocated > bound) {
          failures.add(name + " allocated " + allocated + " bytes, bound " + bound);
        }
        boolean png = entry.getValue()[0] == (byte) 0x89;
        boolean inflates = png || OtherFormatBombs.boundedExpansion(entry.getKey());
        if (inflates && allocated > 64L << 20 && entry.getValue().length < 64 << 10) {
          // Deflate expands at most ~1000:1, so a few KB of PNG data cannot stand for a large image.
          // So do GIF's LZW and an uncompressed BMP; a JPEG, a WebP or an RLE BMP has no such
          // bound: decodeRgb may allocate its claimed size, within the limits.
          failures.add(name + " allocated " + allocated + " bytes for a " + entry.getValue().length + "-byte file");
        }
        if (square && allocated > 64L << 20 && !OtherFormatBombs.wholeImageDecoder(entry.getKey())) {
          failures.add(name + " allocated " + allocated + " bytes: decodeSquare must not hold a large image");
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.toString());
    assertEquals(2 * hostile.size(), outcomes.values().stream().mapToInt(Integer::intValue).sum());
  }

  /**
   * Decodes one input and returns the bytes it allocated; records the outcome, and a failure when it
   * was anything but an RGB image or the typed exception.
   */
  private static long decodeOnce(ImageDecoder decoder, byte[] input, boolean square, String name,
                                 Map<String, Integer> outcomes, List<String> failures) {
    long before = TestImages.allocatedBytes();
    try {
      BufferedImage image = square ? decoder.decodeSquare(input, name, SQUARE) : decoder.decodeRgb(input, name);
      if (image == null || image.getType() != BufferedImage.TYPE_INT_RGB) {
        failures.add(name + " returned " + image);
      }
      outcomes.merge("decoded", 1, Integer::sum);
    } catch (ImageDecodeException e) {
      outcomes.merge(e.reason().name(), 1, Integer::sum);
      if (e.getMessage().length() > 2_000) {
        failures.add(name + " gave a " + e.getMessage().length() + "-character message");
      }
    } catch (Throwable e) {
      failures.add(name + " threw " + e);
    }
    return before < 0 ? 0 : TestImages.allocatedBytes() - before;
  }

  /**
   * What one decode may allocate: up to 16 bytes per allowed pixel (a 16-bit RGBA raster is 8, its
   * RGB result 4, with room for the reader's row buffers) plus the encoded bytes held twice and a
   * fixed 16 MiB for readers, streams and tables.
   */
  static long allocationBound(ImageLimits limits) {
    return 16 * limits.maxPixels() + 2 * limits.maxEncodedBytes() + (16L << 20);
  }

  private static List<byte[]> seeds() {
    BufferedImage grey = new BufferedImage(10, 9, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage palette = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_INDEXED);
    BufferedImage grey16 = new BufferedImage(6, 7, BufferedImage.TYPE_USHORT_GRAY);
    BufferedImage argb = new BufferedImage(9, 7, BufferedImage.TYPE_INT_ARGB);
    for (BufferedImage image : new BufferedImage[] {grey, palette, grey16, argb}) {
      image.getGraphics().drawImage(TestImages.noise(image.getWidth(), image.getHeight(), 11), 0, 0, null);
    }
    BufferedImage photo = DecodeSquareTest.smooth(40, 24, 5);
    List<byte[]> seeds = new ArrayList<>(List.of(TestImages.encode(TestImages.noise(16, 12, 1), "png"),
        TestImages.encode(argb, "png"), TestImages.encode(grey, "png"), TestImages.encode(palette, "png"),
        TestImages.encode(grey16, "png"), TestImages.encode(photo, "png"), TestImages.encode(photo, "jpeg"),
        TestImages.encode(grey, "jpeg"), progressiveJpeg(photo)));
    for (String webp : List.of("lossy", "lossless", "lossy-alpha", "lossless-alpha")) {
      seeds.add(FormatFixtures.webp(webp));
    }
    BufferedImage few = FormatFixtures.indexed(12, 10, new int[] {0xff0000, 0x0000ff, 0x00ff00, 0x404040}, 3,
        new SplittableRandom(7).ints(120, 0, 4).toArray());
    seeds.add(FormatFixtures.gif(List.of(few)));
    seeds.add(FormatFixtures.gif(List.of(few, few)));
    seeds.add(TestImages.encode(few, "gif")); // interlaced
    seeds.add(TestImages.encode(photo, "bmp"));
    seeds.add(FormatFixtures.bmp(photo, null, true));
    seeds.add(FormatFixtures.bmp(few, null, false));
    seeds.add(FormatFixtures.bmp(few, "BI_RLE8", false));
    return seeds;
  }

  /** The ways a seed is damaged; each leaves the rest of it intact. */
  private enum Mutation {
    BIT_FLIPS {
      @Override
      byte[] mutate(byte[] bytes, SplittableRandom random) {
        for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
      }
    },
    INSERTION {
      @Override
      byte[] mutate(byte[] bytes, SplittableRandom random) {
        int at = random.nextInt(bytes.length + 1);
        byte[] inserted = new byte[1 + random.nextInt(32)];
        random.nextBytes(inserted);
        return concat(Arrays.copyOf(bytes, at), inserted, Arrays.copyOfRange(bytes, at, bytes.length));
      }
    },
    DELETION {
      @Override
      byte[] mutate(byte[] bytes, SplittableRandom random) {
        int at = random.nextInt(bytes.length);
        int end = Math.min(bytes.length, at + 1 + random.nextInt(32));
        return concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, end, bytes.length));
      }
    },
    TRUNCATION {
      @Override
      byte[] mutate(byte[] bytes, SplittableRandom random) {
        return Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
    },
    OVERWRITE {
      @Override
      byte[] mutate(byte[] bytes, SplittableRandom random) {
        int at = random.nextInt(bytes.length);
        for (int i = at; i < Math.min(bytes.length, at + 1 + random.nextInt(16)); i++) {
          bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
      }
    },
    HEADER_FIELD {
      @Override
      byte[] mutate(byte[] bytes, SplittableRandom random) {
        return switch (ImageFormat.sniff(bytes)) {
          case PNG -> mutateIhdr(bytes, random);
          case JPEG -> mutateSof(bytes, random);
          default -> OtherFormatBombs.mutateHeaderField(bytes, random, interesting(random));
        };
      }
    },
    CHUNK_LENGTH {
      @Override
      byte[] mutate(byte[] bytes, SplittableRandom random) {
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format != ImageFormat.PNG && format != ImageFormat.JPEG) {
          return OtherFormatBombs.mutateSizeField(bytes, random, interesting(random));
        }
        if (format == ImageFormat.JPEG) {
          return mutateSegmentLength(bytes, random);
        }
        List<Integer> chunks = pngChunkOffsets(bytes);
        int chunk = random.nextInt(chunks.size());
        int length = ByteBuffer.wrap(bytes, chunks.get(chunk), 4).getInt();
        int[] choices = {length + 1, length - 1, 0, interesting(random), random.nextInt()};
        return withLength(bytes, chunk, choices[random.nextInt(choices.length)]);
      }
    };

    abstract byte[] mutate(byte[] bytes, SplittableRandom random);

    byte[] apply(byte[] seed, SplittableRandom random) {
      return mutate(seed.clone(), random);
    }
  }

  /** Width, height, bit depth, colour type, compression, filter or interlace, with the CRC fixed or not. */
  private static byte[] mutateIhdr(byte[] png, SplittableRandom random) {
    ByteBuffer data = ByteBuffer.wrap(png);
    switch (random.nextInt(4)) {
      case 0 -> data.putInt(16, interesting(random));
      case 1 -> data.putInt(20, interesting(random));
      case 2 -> png[24] = (byte) new int[] {0, 1, 2, 4, 8, 16, 3, 255}[random.nextInt(8)];
      default -> png[25 + random.nextInt(4)] = (byte) random.nextInt(8);
    }
    if (random.nextBoolean()) {
      CRC32 crc = new CRC32();
      crc.update(png, 12, 17);
      data.putInt(29, (int) crc.getValue());
    }
    return png;
  }

  /** Precision, height, width or component count of the JPEG's frame header. */
  private static byte[] mutateSof(byte[] jpeg, SplittableRandom random) {
    int sof = sofOffset(jpeg);
    if (sof < 0) {
      return jpeg;
    }
    ByteBuffer data = ByteBuffer.wrap(jpeg);
    switch (random.nextInt(4)) {
      case 0 -> jpeg[sof + 4] = (byte) random.nextInt(256);
      case 1 -> data.putShort(sof + 5, (short) interesting(random));
      case 2 -> data.putShort(sof + 7, (short) interesting(random));
      default -> jpeg[sof + 9] = (byte) random.nextInt(6);
    }
    return jpeg;
  }

  private static byte[] mutateSegmentLength(byte[] jpeg, SplittableRandom random) {
    List<Integer> markers = new ArrayList<>();
    for (int i = 2; i + 3 < jpeg.length; i++) {
      if (jpeg[i] == (byte) 0xff && (jpeg[i + 1] & 0xff) >= 0xc0 && (jpeg[i + 1] & 0xff) != 0xd8
          && (jpeg[i + 1] & 0xff) != 0xff) {
        markers.add(i);
      }
    }
    if (!markers.isEmpty()) {
      int at = markers.get(random.nextInt(markers.size()));
      ByteBuffer.wrap(jpeg).putShort(at + 2, (short) interesting(random));
    }
    return jpeg;
  }

  private static int sofOffset(byte[] jpeg) {
    for (int i = 2; i + 9 < jpeg.length; i++) {
      int marker = jpeg[i + 1] & 0xff;
      if (jpeg[i] == (byte) 0xff && (marker == 0xc0 || marker == 0xc1 || marker == 0xc2)) {
        return i;
      }
    }
    return -1;
  }

  private static int interesting(SplittableRandom random) {
    return random.nextInt(4) == 0 ? random.nextInt() : INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
  }

  /** Offsets of the PNG's chunks (their length fields), as far as the lengths hold. */
  private static List<Integer> pngChunkOffsets(byte[] png) {
    List<Integer> offsets = new ArrayList<>();
    long at = 8;
    while (at + 8 <= png.length) {
      offsets.add((int) at);
      at += 12 + (ByteBuffer.wrap(png, (int) at, 4).getInt() & 0xffff_ffffL);
    }
    return offsets.isEmpty() ? List.of(8) : offsets;
  }

  /** The PNG with chunk number {@code chunk}'s length field replaced. */
  private static byte[] withLength(byte[] png, int chunk, int length) {
    List<Integer> offsets = pngChunkOffsets(png);
    int at = offsets.get(Math.min(chunk, offsets.size() - 1));
    if (at + 4 <= png.length) {
      ByteBuffer.wrap(png).putInt(at, length);
    }
    return png;
  }

  private static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
    byte[] copy = jpeg.clone();
    int sof = sofOffset(copy);
    ByteBuffer.wrap(copy).putShort(sof + 5, (short) height).putShort(sof + 7, (short) width);
    return copy;
  }

  private static byte[] png(int width, int height, int bitDepth, int colourType, List<byte[]> chunks) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.writeBytes(chunk("IHDR", ihdr.array()));
    chunks.forEach(out::writeBytes);
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return concat(ByteBuffer.allocate(4).putInt(data.length).array(), typeBytes, data,
        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] deflate(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream zlib = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
      zlib.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] progressiveJpeg(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
