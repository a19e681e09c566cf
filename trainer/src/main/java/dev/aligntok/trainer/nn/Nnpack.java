package dev.aligntok.trainer.nn;

import ai.djl.engine.Engine;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns libtorch's NNPACK off, through {@code at::Context::setUserEnabledNNPACK(false)} (DJL has no
 * switch for it).
 *
 * <p>Why: on a CPU that NNPACK does not support (AMD Zen 5 here), libtorch logs "Could not initialize
 * NNPACK! Reason: Unsupported hardware." every time a convolution too small for oneDNN (a few images
 * through 1×1 filters at one thread) asks whether NNPACK is there: 3,800 lines in one stage-1 log
 * once the frozen cache leaves only a few images a batch for the encoder, and as many in an evaluation
 * (InceptionV3's 1×1 filters on a batch's last few images). Results do not change:
 * libtorch offers NNPACK only a convolution of 16 or more images that oneDNN declined, and oneDNN
 * takes every float32 convolution of that size; where NNPACK is unsupported it never runs at all.
 */
public final class Nnpack {
  private static final String LIBRARY = "libtorch_cpu.so";
  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledNNPACKEb";
  private static final String IS_ENABLED = "_ZNK2at7Context17userEnabledNNPACKEv";

  private static Boolean disabled; // null until the first call: every network that convolves calls this on loading

  private Nnpack() {}

  /**
   * Turns NNPACK off in the libtorch this process runs (loading it first); false, changing nothing,
   * where that libtorch cannot be found or lacks the setting (another platform or version).
   */
  public static synchronized boolean disable() {
    if (disabled == null) {
      disabled = context().map(context -> {
        context.library().getFunction(SET_ENABLED).invokeVoid(new Object[] {context.pointer(), (byte) 0}); // a C++ bool is one byte
        return true;
      }).orElse(false);
    }
    return disabled;
  }

  /** Whether libtorch would consider NNPACK for a convolution; empty where that cannot be asked. */
  public static Optional<Boolean> enabled() {
    return context().map(context -> (context.library().getFunction(IS_ENABLED)
        .invokeInt(new Object[] {context.pointer()}) & 0xFF) != 0); // a bool is returned in the low byte only
  }

  private record Context(NativeLibrary library, Pointer pointer) {}

  private static Optional<Context> context() {
    Engine.getEngine("PyTorch"); // loads libtorch, so that it shows in the process's mappings
    return loadedLibrary().flatMap(path -> {
      try {
        NativeLibrary library = NativeLibrary.getInstance(path.toString());
        Function globalContext = library.getFunction(GLOBAL_CONTEXT);
        library.getFunction(SET_ENABLED);
        library.getFunction(IS_ENABLED);
        return Optional.of(new Context(library, globalContext.invokePointer(new Object[0])));
      } catch (UnsatisfiedLinkError e) {
        return Optional.empty();
      }
    });
  }

  /** The libtorch the engine loaded, from the process's memory map (Linux). */
  private static Optional<Path> loadedLibrary() {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(maps)) {
      return lines.map(line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
          .filter(path -> path.endsWith("/" + LIBRARY))
          .findFirst()
          .map(Path::of);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
