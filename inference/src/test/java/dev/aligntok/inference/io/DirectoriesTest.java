package dev.aligntok.inference.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DirectoriesTest {
  @Test
  void aRecordedRelativePathLeadsBackToTheTarget() {
    Path bundle = Path.of("/srv/repo/models/emoji-default-bundle");
    Path checkpoint = Path.of("/srv/repo/models/emoji-default-tokenizer/stage3/checkpoints/step-00000500");
    String recorded = Directories.relativePath(bundle, checkpoint);
    assertEquals("../emoji-default-tokenizer/stage3/checkpoints/step-00000500", recorded);
    assertEquals(checkpoint, Directories.resolveRecorded(bundle, recorded));
    assertEquals(".", Directories.relativePath(bundle, bundle.resolve("x/..")));
  }

  @Test
  void relativeArgumentsAreTakenFromTheWorkingDirectoryAndOldAbsoluteRecordsStillResolve() {
    assertEquals("../../runs/dit/checkpoints/step-1",
        Directories.relativePath(Path.of("models/bundle"), Path.of("runs/dit/./checkpoints/step-1")));
    assertEquals(Path.of("/abs/checkpoint"), Directories.resolveRecorded(Path.of("models/bundle"), "/abs/checkpoint"));
  }
}
