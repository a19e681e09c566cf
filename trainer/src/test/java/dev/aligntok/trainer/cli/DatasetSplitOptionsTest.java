package dev.aligntok.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Training and evaluation parse the same options into the same held-out split. */
class DatasetSplitOptionsTest {
  @Test
  void trainAndEvalOptionsGiveTheSameSplit(@TempDir Path folder) throws Exception {
    for (String label : new String[] {"a", "b"}) {
      Path dir = Files.createDirectories(folder.resolve(label));
      for (int i = 0; i < 20; i++) {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(i % 4, i / 5, 0xFFFFFF);
        ImageIO.write(image, "png", dir.resolve(label + i + ".png").toFile());
      }
    }
    String[] args = {"--dataset", folder.toString(), "--validation-fraction", "0.25", "--seed", "3"};
    DatasetSplitOptions forTraining = parse(args);
    DatasetSplitOptions forEvaluation = parse(args);
    DataCache cache = new DataCache(folder.resolve("cache"));
    var train = forTraining.open(cache, LabelLevel.CATEGORY).split();
    var eval = forEvaluation.open(cache, LabelLevel.CATEGORY).split();
    assertEquals(40, train.train().size() + train.validation().size());
    assertEquals(10, train.validation().size());
    assertEquals(ids(train.validation()), ids(eval.validation()));
  }

  @Test
  void aSplitSeedKeepsTheHeldOutSetWhileTheSeedChanges(@TempDir Path folder) throws Exception {
    Path dir = Files.createDirectories(folder.resolve("a"));
    for (int i = 0; i < 40; i++) {
      BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
      image.setRGB(i % 4, (i / 4) % 4, 0xFFFFFF - i);
      ImageIO.write(image, "png", dir.resolve("a" + i + ".png").toFile());
    }
    DataCache cache = new DataCache(folder.resolve("cache"));
    var seed3 = parse(new String[] {"--dataset", folder.toString(), "--seed", "3", "--split-seed", "7"});
    var seed4 = parse(new String[] {"--dataset", folder.toString(), "--seed", "4", "--split-seed", "7"});
    var plain7 = parse(new String[] {"--dataset", folder.toString(), "--seed", "7"});
    var plain4 = parse(new String[] {"--dataset", folder.toString(), "--seed", "4"});
    var held = ids(seed3.open(cache, LabelLevel.CATEGORY).split().validation());
    assertEquals(held, ids(seed4.open(cache, LabelLevel.CATEGORY).split().validation()));
    assertEquals(held, ids(plain7.open(cache, LabelLevel.CATEGORY).split().validation()), "--split-seed 7 = the seed 7 split");
    assertNotEquals(held, ids(plain4.open(cache, LabelLevel.CATEGORY).split().validation()), "without it, --seed moves the split");
  }

  private static java.util.List<String> ids(java.util.List<dev.aligntok.trainer.data.Sample> samples) {
    return samples.stream().map(dev.aligntok.trainer.data.Sample::id).toList();
  }

  private static DatasetSplitOptions parse(String[] args) {
    DatasetSplitOptions options = new DatasetSplitOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }
}
