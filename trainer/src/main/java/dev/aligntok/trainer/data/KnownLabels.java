package dev.aligntok.trainer.data;

import dev.aligntok.inference.label.LabelVocabulary;
import java.util.List;

/** The fixed label vocabularies of the idx datasets, with the synonyms a prompt is likely to use. */
public final class KnownLabels {
  private KnownLabels() {}

  /** MNIST: "0" … "9", with the digits' English names as synonyms. */
  public static LabelVocabulary mnist() {
    List<String> words = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    LabelVocabulary.Builder builder = LabelVocabulary.builder();
    for (int digit = 0; digit < 10; digit++) {
      builder.add(Integer.toString(digit));
      builder.addSynonym(digit, words.get(digit)).addSynonym(digit, "digit " + digit);
    }
    return builder.build();
  }

  /** Fashion-MNIST's ten classes in label order (as in the dataset's README), with plain-word synonyms. */
  public static LabelVocabulary fashionMnist() {
    LabelVocabulary.Builder builder = LabelVocabulary.builder();
    add(builder, "T-shirt/top", "t-shirt", "tshirt", "tee", "top");
    add(builder, "Trouser", "trousers", "pants");
    add(builder, "Pullover", "sweater", "jumper");
    add(builder, "Dress", "dresses");
    add(builder, "Coat", "coats", "jacket");
    add(builder, "Sandal", "sandals");
    add(builder, "Shirt", "shirts");
    add(builder, "Sneaker", "sneakers", "trainers");
    add(builder, "Bag", "bags", "handbag");
    add(builder, "Ankle boot", "ankle boots", "boot", "boots");
    return builder.build();
  }

  private static void add(LabelVocabulary.Builder builder, String name, String... synonyms) {
    int id = builder.add(name);
    for (String synonym : synonyms) {
      builder.addSynonym(id, synonym);
    }
  }
}
