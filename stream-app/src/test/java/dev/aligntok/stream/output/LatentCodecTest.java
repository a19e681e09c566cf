package dev.aligntok.stream.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.Latent;
import dev.aligntok.events.LatentDType;
import dev.aligntok.stream.model.LatentTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatentCodecTest {
  private static final float[] VALUES = {0f, 1f, -2.5f, 0.1f, 70000f, 1e-8f};
  private static final LatentTensor TENSOR = new LatentTensor(new int[] {1, 2, 3}, VALUES);

  @Test
  void f16IsTwoLittleEndianBytesPerValueRoundedToNearest() {
    Latent latent = LatentCodec.toWire(TENSOR, LatentDType.F16);
    assertEquals(LatentDType.F16, latent.getDtype());
    assertEquals(List.of(1, 2, 3), latent.getShape());
    ByteBuffer data = latent.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(VALUES.length * 2, data.remaining());
    assertEquals(0x3C00, data.getShort(2) & 0xFFFF, "1.0");
    assertEquals(0x2E66, data.getShort(6) & 0xFFFF, "0.1 rounds to 0.0999755859375");
    assertEquals(0x7C00, data.getShort(8) & 0xFFFF, "70000 overflows to infinity");
  }

  @Test
  void readersGetFloat32ValuesFromEitherDtype() {
    assertArrayEquals(VALUES, LatentCodec.floats(LatentCodec.toWire(TENSOR, LatentDType.F32)));
    float[] widened = LatentCodec.floats(LatentCodec.toWire(TENSOR, LatentDType.F16));
    assertArrayEquals(new float[] {0f, 1f, -2.5f, 0.0999755859375f, Float.POSITIVE_INFINITY, 0f}, widened);
  }

  @Test
  void refusesOtherDtypesAndByteCountsThatDoNotMatchTheShape() {
    Latent f16 = LatentCodec.toWire(TENSOR, LatentDType.F16);
    Latent mislabelled = Latent.newBuilder(f16).setDtype(LatentDType.F32).build();
    IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class, () -> LatentCodec.floats(mislabelled));
    assertTrue(wrongSize.getMessage().contains("needs 24 bytes, has 12"), wrongSize.getMessage());
    Latent bf16 = Latent.newBuilder(f16).setDtype(LatentDType.BF16).build();
    assertThrows(IllegalArgumentException.class, () -> LatentCodec.floats(bf16));
    assertThrows(IllegalArgumentException.class, () -> LatentCodec.toWire(TENSOR, LatentDType.BF16));
  }
}
