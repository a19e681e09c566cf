package dev.aligntok.trainer.data;

import java.util.Locale;

/** Byte counts for people: decimal units, one decimal ("74.3 MB"), like npm and apt print them. */
public final class Bytes {
  private Bytes() {}

  public static String human(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
