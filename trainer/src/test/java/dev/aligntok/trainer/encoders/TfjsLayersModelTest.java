package dev.aligntok.trainer.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny TF.js model written by the test, in nsfwjs's browserified form and in the standard form. */
class TfjsLayersModelTest {
  // uint8 kernel (1,1,2,3): min -0.5, scale 0.25, so q = 0,1,2,3,4,6 → -0.5,-0.25,0,0.25,0.5,1.
  private static final byte[] KERNEL_Q = {0, 1, 2, 3, 4, 6};
  private static final String MANIFEST = "weightsManifest:[{paths:[\"group1-shard1of2\",\"group1-shard2of2\"],weights:["
      + "{name:\"conv/kernel\",shape:[1,1,2,3],dtype:\"float32\",quantization:{min:-.5,scale:.25,dtype:\"uint8\"}},"
      + "{name:\"conv/bias\",shape:[3],dtype:\"float32\",quantization:{min:-1,scale:.5,dtype:\"uint16\"}},"
      + "{name:\"bn/gamma\",shape:[2],dtype:\"float32\"},"
      + "{name:\"bn/beta\",shape:[4],dtype:\"float32\",quantization:{dtype:\"float16\"}}]}]";
  private static final String TOPOLOGY = "modelTopology:{keras_version:\"2.2.4\",backend:\"tensorflow\",model_config:{"
      + "class_name:\"Model\",config:{name:\"tiny\",layers:["
      + "{name:\"input_1\",class_name:\"InputLayer\",config:{batch_input_shape:[null,4,4,2],dtype:\"float32\",sparse:!1,"
      + "name:\"input_1\"},inbound_nodes:[]},"
      + "{name:\"conv\",class_name:\"Conv2D\",config:{name:\"conv\",trainable:!1,filters:3,kernel_size:[1,1],strides:[1,1],"
      + "padding:\"same\",use_bias:!0,dilation_rate:[1,1]},inbound_nodes:[[[\"input_1\",0,0,{}]]]},"
      + "{name:\"pad\",class_name:\"ZeroPadding2D\",config:{name:\"pad\",padding:[[0,1],[0,1]]},"
      + "inbound_nodes:[[[\"conv\",0,0,{}]]]}],"
      + "input_layers:[[\"input_1\",0,0]],output_layers:[[\"pad\",0,0]]}}}";

  @TempDir
  Path dir;

  @Test
  void readsTheBrowserifiedFormAndDequantises() throws IOException {
    Files.writeString(dir.resolve("model.min.js"), bundle("model", "{" + TOPOLOGY + "," + MANIFEST + "}"));
    byte[] all = shardBytes();
    // First shard as a base64 bundle (nsfwjs), second as a plain binary file (converter output).
    Files.writeString(dir.resolve("group1-shard1of2.min.js"),
        bundle("group1_shard1of2", "\"" + Base64.getEncoder().encodeToString(Arrays.copyOf(all, 10)) + "\""));
    Files.write(dir.resolve("group1-shard2of2"), Arrays.copyOfRange(all, 10, all.length));

    TfjsLayersModel model = TfjsLayersModel.load(dir);
    assertEquals("2.2.4", model.kerasVersion());
    assertEquals(List.of("input_1", "conv", "pad"), model.layers().stream().map(KerasLayer::name).toList());
    KerasLayer conv = model.layer("conv");
    assertEquals(List.of("input_1"), conv.inbound());
    assertTrue(conv.flag("use_bias", false));
    assertFalse(conv.flag("trainable", true));
    assertArrayEquals(new int[] {1, 1}, conv.ints("strides"));
    assertArrayEquals(new int[] {0, 1, 0, 1}, model.layer("pad").ints("padding"));

    assertEquals(List.of("conv/kernel", "conv/bias", "bn/gamma", "bn/beta"), List.copyOf(model.weights().keySet()));
    FloatTensor kernel = model.weight("conv/kernel");
    assertArrayEquals(new int[] {1, 1, 2, 3}, kernel.shape());
    assertArrayEquals(new float[] {-0.5f, -0.25f, 0f, 0.25f, 0.5f, 1f}, kernel.values());
    // uint16 little-endian: 0x0102 = 258 → 258·0.5 − 1; 0 → −1; 0xFFFF → 65535·0.5 − 1.
    assertArrayEquals(new float[] {128f, -1f, 32766.5f}, model.weight("conv/bias").values());
    assertArrayEquals(new float[] {1.5f, -2.25f}, model.weight("bn/gamma").values());
    assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, 65504f}, model.weight("bn/beta").values());
  }

  @Test
  void readsTheStandardFormAndMatchesTfjsRounding() throws IOException {
    // An awkward scale/min pair: the value must be float32(q·scale + min) computed in double, as TF.js does.
    double min = -0.87334511607301;
    double scale = 0.006666756611244351;
    Files.writeString(dir.resolve("model.json"), "{\"modelTopology\": {\"class_name\": \"Functional\", \"config\": {\"layers\": []}},"
        + " \"weightsManifest\": [{\"paths\": [\"w.bin\"], \"weights\": [{\"name\": \"k\", \"shape\": [256], \"dtype\": \"float32\","
        + " \"quantization\": {\"dtype\": \"uint8\", \"min\": " + min + ", \"scale\": " + scale + "}}]}]}");
    byte[] q = new byte[256];
    for (int i = 0; i < q.length; i++) {
      q[i] = (byte) i;
    }
    Files.write(dir.resolve("w.bin"), q);
    float[] values = TfjsLayersModel.load(dir).weight("k").values();
    for (int i = 0; i < 256; i++) {
      assertEquals((float) (i * scale + min), values[i], 0f);
    }
  }

  @Test
  void shardSizeMismatchNamesTheShards() throws IOException {
    Files.writeString(dir.resolve("model.min.js"), bundle("model", "{" + TOPOLOGY + "," + MANIFEST + "}"));
    Files.write(dir.resolve("group1-shard1of2"), new byte[10]);
    Files.write(dir.resolve("group1-shard2of2"), new byte[3]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfjsLayersModel.load(dir));
    assertTrue(e.getMessage().contains("group1-shard2of2") && e.getMessage().contains("13 bytes")
        && e.getMessage().contains("describe 28"), e.getMessage());
  }

  @Test
  void missingPiecesAreNamed() throws IOException {
    IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class, () -> TfjsLayersModel.load(dir));
    assertTrue(noModel.getMessage().contains("model.min.js"), noModel.getMessage());

    Files.writeString(dir.resolve("model.min.js"), bundle("model", "{" + TOPOLOGY + "," + MANIFEST + "}"));
    IllegalArgumentException noShard = assertThrows(IllegalArgumentException.class, () -> TfjsLayersModel.load(dir));
    assertTrue(noShard.getMessage().contains("group1-shard1of2.min.js"), noShard.getMessage());

    Files.writeString(dir.resolve("model.min.js"), bundle("model", "{" + TOPOLOGY + ","
        + MANIFEST.replace("dtype:\"uint16\"", "dtype:\"int4\"") + "}"));
    IllegalArgumentException badQuant = assertThrows(IllegalArgumentException.class, () -> TfjsLayersModel.load(dir));
    assertTrue(badQuant.getMessage().contains("int4") && badQuant.getMessage().contains("conv/bias"), badQuant.getMessage());
  }

  @Test
  void halfFloatsDecodeExactly() {
    assertEquals(1f, TfjsWeightDecoder.halfToFloat((short) 0x3C00));
    assertEquals(-0f, TfjsWeightDecoder.halfToFloat((short) 0x8000));
    assertEquals(0x1p-14f, TfjsWeightDecoder.halfToFloat((short) 0x0400));
    assertEquals(Float.NEGATIVE_INFINITY, TfjsWeightDecoder.halfToFloat((short) 0xFC00));
    assertTrue(Float.isNaN(TfjsWeightDecoder.halfToFloat((short) 0x7E00)));
  }

  private static byte[] shardBytes() {
    ByteBuffer b = ByteBuffer.allocate(6 + 6 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(KERNEL_Q);
    b.putShort((short) 0x0102).putShort((short) 0).putShort((short) 0xFFFF);
    b.putFloat(1.5f).putFloat(-2.25f);
    b.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001).putShort((short) 0x7BFF);
    return b.array();
  }

  // The browserify UMD wrapper nsfwjs's bundles have, around a module exporting `literal`.
  private static String bundle(String global, String literal) {
    return "!function(e){if(\"object\"==typeof exports&&\"undefined\"!=typeof module)module.exports=e();"
        + "else if(\"function\"==typeof define&&define.amd)define([],e);else{(\"undefined\"!=typeof window?window:this)."
        + global + "=e()}}(function(){return function e(a,n,i){function l(_,o){return n[_]}return l}"
        + "({1:[function(e,a,n){a.exports=" + literal + "},{}]},{},[1])(1)});";
  }
}
