package dev.aligntok.inference.image;

/** Little-endian fields of the RIFF (WebP), GIF and BMP headers; callers check the bounds first. */
final class LittleEndian {
  private LittleEndian() {}

  static int u8(byte[] bytes, int at) {
    return bytes[at] & 0xff;
  }

  static int u16(byte[] bytes, int at) {
    return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
  }

  static int u24(byte[] bytes, int at) {
    return u16(bytes, at) | (bytes[at + 2] & 0xff) << 16;
  }

  static int s32(byte[] bytes, int at) {
    return u24(bytes, at) | (bytes[at + 3] & 0xff) << 24;
  }

  static long u32(byte[] bytes, int at) {
    return s32(bytes, at) & 0xffff_ffffL;
  }
}
