package dev.aligntok.trainer.latents;

import ai.djl.ndarray.NDManager;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.trainer.data.FileImage;
import dev.aligntok.trainer.data.InMemoryImage;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.encoders.NsfwjsPackage;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.eval.LatentBatch;
import dev.aligntok.trainer.eval.TokenizerUnderTest;
import dev.aligntok.trainer.tokenizer.DecoderConfig;
import dev.aligntok.trainer.tokenizer.Tokenizer;
import dev.aligntok.trainer.tokenizer.TokenizerConfig;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import dev.aligntok.trainer.tokenizer.StageConfig;
import dev.aligntok.trainer.tokenizer.TokenizerStage;
import dev.aligntok.trainer.tokenizer.TokenizerTrainingState;
import dev.aligntok.trainer.train.Checkpoints;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One CI-sized AlignTok tokenizer for every latents test in the JVM: 16 px images, MobileNetV2
 * (ImageNet weights) at 32 px, a 2×2 grid of C = 4 channels, adapter and decoder freshly
 * initialised and saved as a real stage-1 checkpoint, then loaded with {@link TrainedTokenizer#load}.
 */
public final class TinyTokenizer {
  public static final TokenizerConfig CONFIG = new TokenizerConfig(16, 2, "mobilenet_v2", "block_10_expand_relu", true, 16,
      new DecoderConfig(4, List.of(16, 16, 8, 8), 1, false));
  private static Path run;
  private static Path checkpoint;
  private static Path nsfwjs;
  private static TrainedTokenizer tokenizer;

  private TinyTokenizer() {}

  /** A run directory whose stage1 has one checkpoint. */
  public static synchronized Path run() {
    if (run == null) {
      nsfwjs = NsfwjsPackage.locateOrSkip();
      try {
        run = Files.createTempDirectory("aligntok-latents-test-run");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(run)));
      try (NDManager manager = NDManager.newBaseManager()) {
        Tokenizer fresh = Tokenizer.create(CONFIG, nsfwjs, manager);
        checkpoint = new Checkpoints(run.resolve(TokenizerStage.STAGE1.directoryName()), 1).save(1,
            Map.of(Checkpoints.MODEL, Checkpoints.named(fresh.parameters().arrays())),
            new TokenizerTrainingState(TokenizerStage.STAGE1, 1, CONFIG, StageConfig.defaults(TokenizerStage.STAGE1, 1), 0f, 0,
                Map.of()));
      }
    }
    return run;
  }

  public static synchronized Path checkpoint() {
    run();
    return checkpoint;
  }

  public static synchronized Path nsfwjs() {
    run();
    return nsfwjs;
  }

  /** The loaded tokenizer (shared; closed when the JVM exits). */
  public static synchronized TrainedTokenizer tokenizer() {
    if (tokenizer == null) {
      tokenizer = TrainedTokenizer.load("tiny", checkpoint(), nsfwjs);
    }
    return tokenizer;
  }

  static TokenizerSource source() {
    return TokenizerSource.ofCheckpoint(checkpoint());
  }

  /** Off-centre discs and squares on white (so a mirror image differs), 16×16, labels 0/1. */
  public static List<Sample> shapes(int count) {
    List<Sample> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(new Sample("shape-" + i, null, i % 2, i % 2 == 0 ? "disc" : "square", List.of(),
          InMemoryImage.of(shape(i, count, false))));
    }
    return list;
  }

  /** The same images mirrored left to right. */
  static List<Sample> mirroredShapes(int count) {
    List<Sample> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(new Sample("mirrored-" + i, null, i % 2, i % 2 == 0 ? "disc" : "square", List.of(),
          InMemoryImage.of(shape(i, count, true))));
    }
    return list;
  }

  private static BufferedImage shape(int i, int count, boolean mirrored) {
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 16, 16);
    g.setColor(Color.getHSBColor(i / (float) count, 0.8f, 0.9f));
    if (i % 2 == 0) {
      g.fillOval(1 + i % 3, 3, 8, 9);
    } else {
      g.fillRect(1, 2 + i % 3, 6 + i % 4, 9);
    }
    g.setColor(Color.DARK_GRAY);
    g.fillRect(12, 1 + i % 5, 3, 2);
    g.dispose();
    if (!mirrored) {
      return image;
    }
    BufferedImage flipped = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        flipped.setRGB(15 - x, y, image.getRGB(x, y));
      }
    }
    return flipped;
  }

  /** A sample whose file is not an image: the reader would have caught it, but it changed since. */
  static Sample corruptFile(Path dir, String id) throws IOException {
    Path file = Files.write(dir.resolve(id + ".png"), "not a png at all".getBytes());
    return new Sample(id, null, 0, "disc", List.of(), new FileImage(file, new ImageDecoder()));
  }

  /** A sample whose file has gone. */
  static Sample missingFile(Path dir, String id) {
    return new Sample(id, null, 1, "square", List.of(), new FileImage(dir.resolve(id + ".png"), new ImageDecoder()));
  }

  /** Wraps a tokenizer, counting encoded images and optionally failing after some calls. */
  static final class Counting implements TokenizerUnderTest {
    final TokenizerUnderTest inner;
    final AtomicInteger images = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    private final int failAfterCalls;

    Counting(TokenizerUnderTest inner, int failAfterCalls) {
      this.inner = inner;
      this.failAfterCalls = failAfterCalls;
    }

    Counting(TokenizerUnderTest inner) {
      this(inner, Integer.MAX_VALUE);
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public LatentBatch encode(ImageBatch batch) {
      if (calls.incrementAndGet() > failAfterCalls) {
        throw new IllegalStateException("simulated crash");
      }
      images.addAndGet(batch.count());
      return inner.encode(batch);
    }

    @Override
    public ImageBatch decode(LatentBatch latents) {
      return inner.decode(latents);
    }
  }

  static void deleteRecursively(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // best effort at exit
    }
  }
}
