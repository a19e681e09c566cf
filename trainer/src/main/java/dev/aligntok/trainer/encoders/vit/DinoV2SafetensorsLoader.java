package dev.aligntok.trainer.encoders.vit;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads DINOv2 weights from a safetensors file into a {@link VisionTransformer}, inferring the
 * architecture from the tensor shapes. Two namings are accepted:
 * <ul>
 *   <li>Hugging Face transformers ({@code facebook/dinov2-*}, {@code Dinov2Model} and
 *       {@code Dinov2WithRegistersModel}): {@code embeddings.cls_token},
 *       {@code embeddings.position_embeddings}, {@code embeddings.patch_embeddings.projection.*},
 *       {@code encoder.layer.<i>.attention.attention.{query,key,value}.*} (fused here into one qkv),
 *       {@code encoder.layer.<i>.attention.output.dense.*}, {@code layer_scale{1,2}.lambda1},
 *       {@code mlp.fc1/fc2} (or {@code mlp.weights_in/weights_out} for ViT-g), {@code layernorm.*};
 *   <li>the original facebookresearch/dinov2 state dict: {@code cls_token}, {@code pos_embed},
 *       {@code register_tokens}, {@code patch_embed.proj.*}, {@code blocks.<i>.attn.qkv.*},
 *       {@code blocks.<i>.attn.proj.*}, {@code blocks.<i>.ls{1,2}.gamma}, {@code blocks.<i>.mlp.fc1/fc2}
 *       (or {@code w12/w3}), {@code norm.*}.
 * </ul>
 * Width, depth, patch size, position grid, registers and FFN kind come from the shapes; the number of
 * heads (which no shape reveals) from {@code config.json} beside the file, else
 * {@link Options#heads()}, else the standard widths (S=6, B=12, L=16, g=24 heads). Every tensor must
 * be used and every parameter filled; the only tensor skipped is the iBOT {@code mask_token}, which
 * a forward pass never reads. Tensors may be F32, F16, BF16 or F64; all are loaded as float32.
 */
public final class DinoV2SafetensorsLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LISTED = 20;

  /** The tensor namings this loader understands. */
  public enum Naming { HF_TRANSFORMERS, ORIGINAL_DINOV2 }

  /**
   * @param heads attention heads when no {@code config.json} says (null: standard sizes)
   * @param interpolation position resampling (null: what the naming's own implementation does —
   *     see {@link PositionInterpolation})
   */
  public record Options(Integer heads, PositionInterpolation interpolation) {
    public static final Options DEFAULT = new Options(null, null);

    public static Options heads(int heads) {
      return new Options(heads, null);
    }
  }

  /**
   * @param model the initialised ViT holding the weights
   * @param ignored tensors deliberately not loaded ({@code mask_token})
   */
  public record Loaded(VisionTransformer model, VitConfig config, Naming naming, List<String> ignored) {}

  private DinoV2SafetensorsLoader() {}

  /** Reads the file, builds the ViT it describes in {@code manager} and fills it. */
  public static Loaded load(Path file, NDManager manager, Options options) {
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      Checkpoint checkpoint = Checkpoint.of(safetensors);
      VitConfig config = inferConfig(checkpoint, file, options);
      VisionTransformer model = new VisionTransformer(config);
      model.initialize(manager, DataType.FLOAT32, new Shape(1, config.inChannels(), config.imageSize(), config.imageSize()));
      fill(model, checkpoint, file);
      return new Loaded(model, config, checkpoint.naming, List.copyOf(checkpoint.ignored));
    }
  }

  /** The architecture a file describes, without building the model or reading any tensor data. */
  public static VitConfig readConfig(Path file, Options options) {
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      return inferConfig(Checkpoint.of(safetensors), file, options);
    }
  }

  /** Copies the file's weights into an existing, initialised ViT of the same architecture. */
  public static void loadInto(VisionTransformer model, Path file) {
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      fill(model, Checkpoint.of(safetensors), file);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Name mapping: everything is translated to the original DINOv2 names, the model's own.

  /** A tensor as the model sees it: canonical name, the file's name(s) for messages, shape, values. */
  private record Source(String fileName, long[] shape, Supplier<float[]> values) {}

  private static final Pattern HF_QKV = Pattern.compile("encoder\\.layer\\.(\\d+)\\.attention\\.attention\\.(query|key|value)\\.(weight|bias)");
  private static final String[][] HF_RULES = {
      // {transformers regex, original replacement}
      {"embeddings\\.cls_token", "cls_token"},
      {"embeddings\\.mask_token", "mask_token"},
      {"embeddings\\.position_embeddings", "pos_embed"},
      {"embeddings\\.register_tokens", "register_tokens"},
      {"embeddings\\.patch_embeddings\\.projection\\.(weight|bias)", "patch_embed.proj.$1"},
      {"encoder\\.layer\\.(\\d+)\\.norm([12])\\.(weight|bias)", "blocks.$1.norm$2.$3"},
      {"encoder\\.layer\\.(\\d+)\\.attention\\.output\\.dense\\.(weight|bias)", "blocks.$1.attn.proj.$2"},
      {"encoder\\.layer\\.(\\d+)\\.layer_scale([12])\\.lambda1", "blocks.$1.ls$2.gamma"},
      {"encoder\\.layer\\.(\\d+)\\.mlp\\.(fc1|fc2)\\.(weight|bias)", "blocks.$1.mlp.$2.$3"},
      {"encoder\\.layer\\.(\\d+)\\.mlp\\.weights_in\\.(weight|bias)", "blocks.$1.mlp.w12.$2"},
      {"encoder\\.layer\\.(\\d+)\\.mlp\\.weights_out\\.(weight|bias)", "blocks.$1.mlp.w3.$2"},
      {"layernorm\\.(weight|bias)", "norm.$1"},
  };
  private static final String[][] HF_REVERSE = {
      {"cls_token", "embeddings.cls_token"},
      {"pos_embed", "embeddings.position_embeddings"},
      {"register_tokens", "embeddings.register_tokens"},
      {"patch_embed\\.proj\\.(weight|bias)", "embeddings.patch_embeddings.projection.$1"},
      {"blocks\\.(\\d+)\\.norm([12])\\.(weight|bias)", "encoder.layer.$1.norm$2.$3"},
      {"blocks\\.(\\d+)\\.attn\\.qkv\\.(weight|bias)", "encoder.layer.$1.attention.attention.{query,key,value}.$2"},
      {"blocks\\.(\\d+)\\.attn\\.proj\\.(weight|bias)", "encoder.layer.$1.attention.output.dense.$2"},
      {"blocks\\.(\\d+)\\.ls([12])\\.gamma", "encoder.layer.$1.layer_scale$2.lambda1"},
      {"blocks\\.(\\d+)\\.mlp\\.(fc1|fc2)\\.(weight|bias)", "encoder.layer.$1.mlp.$2.$3"},
      {"blocks\\.(\\d+)\\.mlp\\.w12\\.(weight|bias)", "encoder.layer.$1.mlp.weights_in.$2"},
      {"blocks\\.(\\d+)\\.mlp\\.w3\\.(weight|bias)", "encoder.layer.$1.mlp.weights_out.$2"},
      {"norm\\.(weight|bias)", "layernorm.$1"},
  };
  /** Tensors a forward pass never reads (iBOT's mask token). */
  private static final String MASK_TOKEN = "mask_token";

  /** The file's tensors under canonical names, plus what could not be mapped. */
  private static final class Checkpoint {
    final Naming naming;
    final Map<String, Source> tensors = new LinkedHashMap<>();
    final List<String> unexpected = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final List<String> ignored = new ArrayList<>();
    /** Canonical names whose absence is already explained in {@link #problems}. */
    final Set<String> reported = new HashSet<>();

    private Checkpoint(Naming naming) {
      this.naming = naming;
    }

    static Checkpoint of(SafetensorsFile file) {
      Naming naming = detect(file);
      Checkpoint checkpoint = new Checkpoint(naming);
      Map<String, Map<String, SafetensorsFile.Entry>> qkvParts = new LinkedHashMap<>();
      for (SafetensorsFile.Entry entry : file.entries().values()) {
        String name = entry.name();
        String canonical;
        if (naming == Naming.ORIGINAL_DINOV2) {
          canonical = name;
        } else {
          Matcher qkv = HF_QKV.matcher(name);
          if (qkv.matches()) {
            qkvParts.computeIfAbsent("blocks." + qkv.group(1) + ".attn.qkv." + qkv.group(3), k -> new LinkedHashMap<>())
                .put(qkv.group(2), entry);
            continue;
          }
          canonical = translate(name, HF_RULES);
          if (canonical == null) {
            checkpoint.unexpected.add(name);
            continue;
          }
        }
        if (canonical.equals(MASK_TOKEN)) {
          checkpoint.ignored.add(name);
          continue;
        }
        checkpoint.tensors.put(canonical, new Source(name, entry.shape(), () -> file.readFloats(name)));
      }
      qkvParts.forEach((canonical, parts) -> checkpoint.fuseQkv(file, canonical, parts));
      return checkpoint;
    }

    /** transformers keeps q, k and v apart; DINOv2 (and this model) stacks them as rows q, k, v. */
    private void fuseQkv(SafetensorsFile file, String canonical, Map<String, SafetensorsFile.Entry> parts) {
      List<String> missing = new ArrayList<>();
      for (String part : new String[] {"query", "key", "value"}) {
        if (!parts.containsKey(part)) {
          missing.add(canonical.replaceFirst("blocks\\.(\\d+)\\.attn\\.qkv\\.(\\w+)", "encoder.layer.$1.attention.attention." + part + ".$2"));
        }
      }
      if (!missing.isEmpty()) {
        missing.forEach(name -> problems.add("missing tensor " + name));
        reported.add(canonical);
        return;
      }
      SafetensorsFile.Entry q = parts.get("query");
      for (SafetensorsFile.Entry other : List.of(parts.get("key"), parts.get("value"))) {
        if (!Arrays.equals(q.shape(), other.shape())) {
          problems.add("tensor " + other.name() + " has shape " + Arrays.toString(other.shape()) + " but "
              + q.name() + " has " + Arrays.toString(q.shape()));
          reported.add(canonical);
          return;
        }
      }
      long[] shape = q.shape().clone();
      if (shape.length == 0) {
        problems.add("tensor " + q.name() + " is a scalar");
        reported.add(canonical);
        return;
      }
      shape[0] *= 3;
      String names = q.name().replace(".query.", ".{query,key,value}.");
      tensors.put(canonical, new Source(names, shape, () -> {
        float[] a = file.readFloats(q.name());
        float[] b = file.readFloats(parts.get("key").name());
        float[] c = file.readFloats(parts.get("value").name());
        float[] all = new float[a.length * 3];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(c, 0, all, 2 * a.length, c.length);
        return all;
      }));
    }

    /** The name a canonical tensor has in this file's naming (for messages). */
    String fileName(String canonical) {
      if (naming == Naming.ORIGINAL_DINOV2) {
        return canonical;
      }
      String hf = translate(canonical, HF_REVERSE);
      return hf == null ? canonical : hf;
    }

    Source require(String canonical, String why) {
      Source source = tensors.get(canonical);
      if (source == null) {
        throw new IllegalArgumentException("missing tensor " + fileName(canonical) + " (needed for " + why + ")");
      }
      return source;
    }
  }

  private static Naming detect(SafetensorsFile file) {
    boolean hf = false;
    boolean original = false;
    for (String name : file.entries().keySet()) {
      hf |= name.startsWith("embeddings.") || name.startsWith("encoder.layer.") || name.startsWith("layernorm.");
      original |= name.equals("cls_token") || name.equals("pos_embed") || name.startsWith("blocks.") || name.startsWith("patch_embed.");
    }
    if (hf && original) {
      throw new IllegalArgumentException("DINOv2 checkpoint " + file.path()
          + " mixes Hugging Face names (embeddings.*, encoder.layer.*) with original DINOv2 names (cls_token, blocks.*)");
    }
    if (!hf && !original) {
      List<String> first = file.entries().keySet().stream().limit(5).toList();
      String hint = first.stream().anyMatch(n -> n.startsWith("dinov2.")) ? " (the tensors sit under 'dinov2.': a"
          + " Dinov2ForImageClassification checkpoint? save the Dinov2Model backbone instead)" : "";
      throw new IllegalArgumentException("unknown naming in " + file.path() + ": expected Hugging Face transformers names"
          + " (embeddings.cls_token, encoder.layer.0...) or original DINOv2 names (cls_token, pos_embed, blocks.0...),"
          + " found " + (first.isEmpty() ? "no tensors" : first + (file.entries().size() > 5 ? "..." : "")) + hint);
    }
    return hf ? Naming.HF_TRANSFORMERS : Naming.ORIGINAL_DINOV2;
  }

  private static String translate(String name, String[][] rules) {
    for (String[] rule : rules) {
      Matcher m = Pattern.compile(rule[0]).matcher(name);
      if (m.matches()) {
        return m.replaceFirst(rule[1]);
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Architecture from shapes (+ config.json).

  private static final Pattern BLOCK = Pattern.compile("blocks\\.(\\d+)\\..*");

  private static VitConfig inferConfig(Checkpoint ckpt, Path file, Options options) {
    String where = "DINOv2 checkpoint " + file;
    long[] cls = ckpt.require("cls_token", "the width").shape();
    if (cls.length != 3 || cls[0] != 1 || cls[1] != 1) {
      throw new IllegalArgumentException(where + ": " + ckpt.fileName("cls_token") + " has shape " + Arrays.toString(cls) + ", expected [1, 1, width]");
    }
    int width = (int) cls[2];
    long[] patch = ckpt.require("patch_embed.proj.weight", "the patch size").shape();
    if (patch.length != 4 || patch[0] != width || patch[2] != patch[3]) {
      throw new IllegalArgumentException(where + ": " + ckpt.fileName("patch_embed.proj.weight") + " has shape "
          + Arrays.toString(patch) + ", expected [" + width + ", channels, patch, patch]");
    }
    int inChannels = (int) patch[1];
    int patchSize = (int) patch[2];
    long[] pos = ckpt.require("pos_embed", "the position grid").shape();
    long positions = pos.length == 3 ? pos[1] - 1 : -1;
    int grid = (int) Math.round(Math.sqrt(Math.max(positions, 0)));
    if (pos.length != 3 || pos[0] != 1 || pos[2] != width || positions < 1 || (long) grid * grid != positions) {
      throw new IllegalArgumentException(where + ": " + ckpt.fileName("pos_embed") + " has shape " + Arrays.toString(pos)
          + ", expected [1, 1 + M·M, " + width + "] (CLS position + an M×M grid)");
    }
    TreeSet<Integer> blockIndices = new TreeSet<>();
    for (String name : ckpt.tensors.keySet()) {
      Matcher m = BLOCK.matcher(name);
      if (m.matches()) {
        blockIndices.add(Integer.parseInt(m.group(1)));
      }
    }
    if (blockIndices.isEmpty()) {
      throw new IllegalArgumentException(where + ": no transformer blocks (" + ckpt.fileName("blocks.0.norm1.weight") + ", ...)");
    }
    int depth = blockIndices.last() + 1;
    int first = blockIndices.first();
    VitConfig.FeedForward ffn = ckpt.tensors.containsKey("blocks." + first + ".mlp.w12.weight")
        ? VitConfig.FeedForward.SWIGLU : VitConfig.FeedForward.GELU_MLP;
    double mlpRatio;
    if (ffn == VitConfig.FeedForward.SWIGLU) {
      long hidden = ckpt.require("blocks." + first + ".mlp.w12.weight", "the SwiGLU width").shape()[0] / 2;
      mlpRatio = swiGluRatio(width, (int) hidden, where);
    } else {
      long[] fc1 = ckpt.require("blocks." + first + ".mlp.fc1.weight", "the MLP width").shape();
      mlpRatio = (double) fc1[0] / width;
    }
    int registers = 0;
    if (ckpt.tensors.containsKey("register_tokens")) {
      long[] reg = ckpt.tensors.get("register_tokens").shape();
      if (reg.length != 3 || reg[0] != 1 || reg[2] != width) {
        throw new IllegalArgumentException(where + ": " + ckpt.fileName("register_tokens") + " has shape "
            + Arrays.toString(reg) + ", expected [1, registers, " + width + "]");
      }
      registers = (int) reg[1];
    }

    JsonNode json = readConfigJson(file);
    int heads = resolveHeads(json, options, width, file);
    float eps = json != null && json.hasNonNull("layer_norm_eps") ? (float) json.get("layer_norm_eps").asDouble() : VitConfig.DEFAULT_LAYER_NORM_EPS;
    float layerScale = json != null && json.hasNonNull("layerscale_value") ? (float) json.get("layerscale_value").asDouble() : 1.0f;
    if (json != null) {
      Path jsonFile = file.resolveSibling("config.json");
      agree(json, "hidden_size", width, jsonFile, "the tensors' width");
      agree(json, "num_hidden_layers", depth, jsonFile, "the number of blocks in the file");
      agree(json, "patch_size", patchSize, jsonFile, "the patch embedding's kernel");
      agree(json, "num_channels", inChannels, jsonFile, "the patch embedding's input channels");
      agree(json, "num_register_tokens", registers, jsonFile, "the register tokens in the file");
      if (json.hasNonNull("image_size") && json.get("image_size").asInt() != grid * patchSize) {
        throw new IllegalArgumentException(jsonFile + " says image_size " + json.get("image_size").asInt() + " but the "
            + grid + "×" + grid + " position grid with patch " + patchSize + " means " + grid * patchSize);
      }
      if (json.hasNonNull("use_swiglu_ffn") && json.get("use_swiglu_ffn").asBoolean() != (ffn == VitConfig.FeedForward.SWIGLU)) {
        throw new IllegalArgumentException(jsonFile + " says use_swiglu_ffn=" + json.get("use_swiglu_ffn").asBoolean()
            + " but the file holds " + (ffn == VitConfig.FeedForward.SWIGLU ? "SwiGLU (weights_in/w12)" : "MLP (fc1/fc2)") + " tensors");
      }
      if (ffn == VitConfig.FeedForward.GELU_MLP && json.hasNonNull("hidden_act") && !json.get("hidden_act").asText().equals("gelu")) {
        throw new IllegalArgumentException(jsonFile + " asks for activation '" + json.get("hidden_act").asText()
            + "'; only DINOv2's exact 'gelu' is supported");
      }
    }
    PositionInterpolation interpolation = options.interpolation() != null ? options.interpolation()
        : ckpt.naming == Naming.ORIGINAL_DINOV2 ? PositionInterpolation.ORIGINAL_DINOV2
        : registers > 0 ? PositionInterpolation.HF_DINOV2_WITH_REGISTERS : PositionInterpolation.HF_DINOV2;
    try {
      return new VitConfig(grid * patchSize, patchSize, inChannels, width, depth, heads, mlpRatio, ffn, layerScale,
          registers, eps, interpolation);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /** The MLP ratio for which DINOv2's SwiGLU sizing rule gives {@code hidden}. */
  private static double swiGluRatio(int width, int hidden, String where) {
    for (double ratio : new double[] {4.0, hidden * 1.5 / width}) {
      VitConfig probe = new VitConfig(1, 1, 1, width, 1, 1, ratio, VitConfig.FeedForward.SWIGLU, 1f, 0, 1e-6f,
          PositionInterpolation.HF_DINOV2);
      if (probe.ffnHidden() == hidden) {
        return ratio;
      }
    }
    throw new IllegalArgumentException(where + ": SwiGLU hidden width " + hidden + " does not follow DINOv2's sizing rule for width " + width);
  }

  private static int resolveHeads(JsonNode json, Options options, int width, Path file) {
    Integer fromJson = json != null && json.hasNonNull("num_attention_heads") ? json.get("num_attention_heads").asInt() : null;
    Integer fromOption = options.heads();
    if (fromJson != null && fromOption != null && !fromJson.equals(fromOption)) {
      throw new IllegalArgumentException("heads given as " + fromOption + " but " + file.resolveSibling("config.json")
          + " says num_attention_heads=" + fromJson);
    }
    if (fromJson != null) {
      return fromJson;
    }
    if (fromOption != null) {
      return fromOption;
    }
    int standard = VitConfig.standardHeads(width);
    if (standard < 0) {
      throw new IllegalArgumentException("cannot tell the number of attention heads of " + file + ": width " + width
          + " is not a standard ViT size (384, 768, 1024, 1536) and there is no config.json beside it; pass the heads (--heads)");
    }
    return standard;
  }

  private static JsonNode readConfigJson(Path file) {
    Path json = file.toAbsolutePath().resolveSibling("config.json");
    if (!Files.isRegularFile(json)) {
      return null;
    }
    try {
      return JSON.readTree(json.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + json + ": " + e.getMessage(), e);
    }
  }

  private static void agree(JsonNode json, String field, int actual, Path jsonFile, String what) {
    if (json.hasNonNull(field) && json.get(field).asInt() != actual) {
      throw new IllegalArgumentException(jsonFile + " says " + field + "=" + json.get(field).asInt() + " but " + what + " is " + actual);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Filling the model.

  private static void fill(VisionTransformer model, Checkpoint ckpt, Path file) {
    Map<String, Parameter> expected = model.checkpointParameters();
    List<String> problems = new ArrayList<>(ckpt.problems);
    for (Map.Entry<String, Parameter> entry : expected.entrySet()) {
      Source source = ckpt.tensors.get(entry.getKey());
      if (source == null) {
        if (!ckpt.reported.contains(entry.getKey())) {
          problems.add("missing tensor " + ckpt.fileName(entry.getKey()));
        }
        continue;
      }
      long[] want = entry.getValue().getArray().getShape().getShape();
      if (!Arrays.equals(want, source.shape())) {
        problems.add("tensor " + source.fileName() + " has shape " + Arrays.toString(source.shape())
            + ", expected " + Arrays.toString(want));
      }
    }
    for (Map.Entry<String, Source> entry : ckpt.tensors.entrySet()) {
      if (!expected.containsKey(entry.getKey())) {
        ckpt.unexpected.add(entry.getValue().fileName());
      }
    }
    ckpt.unexpected.forEach(name -> problems.add("unexpected tensor " + name + " (not part of a " + model.name() + ")"));
    if (!problems.isEmpty()) {
      StringBuilder message = new StringBuilder("DINOv2 checkpoint " + file + " (" + ckpt.naming + " naming) does not fit "
          + model + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
      problems.stream().limit(MAX_LISTED).forEach(p -> message.append("\n  ").append(p));
      if (problems.size() > MAX_LISTED) {
        message.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
      }
      throw new IllegalArgumentException(message.toString());
    }
    for (Map.Entry<String, Parameter> entry : expected.entrySet()) {
      entry.getValue().getArray().set(ckpt.tensors.get(entry.getKey()).values().get());
    }
  }
}
