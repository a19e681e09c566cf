package dev.aligntok.trainer.study;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Pictures one above the other, each under a caption band, on a white page as wide as the widest:
 * the study's "side by side" figures (every tokenizer's reconstruction grid, every DiT's samples).
 */
final class CaptionedStack {
  /** One picture and the caption printed above it. */
  record Panel(String caption, BufferedImage image) {}

  static final int CAPTION_HEIGHT = 26;
  static final int GAP = 8;

  private CaptionedStack() {}

  static BufferedImage render(List<Panel> panels) {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("nothing to stack");
    }
    int width = panels.stream().mapToInt(p -> p.image().getWidth()).max().orElseThrow();
    int height = panels.stream().mapToInt(p -> CAPTION_HEIGHT + p.image().getHeight() + GAP).sum();
    BufferedImage page = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = page.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      int y = 0;
      for (Panel panel : panels) {
        g.setColor(new Color(0x1f77b4));
        g.fillRect(0, y, width, CAPTION_HEIGHT - 4);
        g.setColor(Color.WHITE);
        g.drawString(panel.caption(), 8, y + CAPTION_HEIGHT - 10);
        y += CAPTION_HEIGHT;
        g.drawImage(panel.image(), 0, y, null);
        y += panel.image().getHeight() + GAP;
      }
    } finally {
      g.dispose();
    }
    return page;
  }
}
