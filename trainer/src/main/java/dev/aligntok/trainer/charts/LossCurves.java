package dev.aligntok.trainer.charts;

import dev.aligntok.inference.image.ReconstructionGrid;
import dev.aligntok.trainer.train.MetricsLog;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A line chart of training metrics ({@link MetricsLog}) drawn with Java2D: one coloured line per
 * series against step, axes with tick labels, a legend with each series' last value, linear or
 * log₁₀ y axis, optional exponential smoothing (then the raw values are drawn faintly behind).
 *
 * <p>Which series: the ones named in {@link Options#series()}, else every series except
 * bookkeeping fields ({@value #BOOKKEEPING} — epoch, learning rates, timings, and diagnostics such as
 * gradient norms, loss weights and cache counters, whose scale would flatten the losses). In log scale,
 * values ≤ 0 cannot be drawn and are skipped, like non-finite values (a gap in the line).
 */
public final class LossCurves {
  /** The file a run's loss curves are written to, next to its evaluation report. */
  public static final String FILE = "loss-curves.png";
  static final String BOOKKEEPING =
      "(?i)^(epoch|lr|.*_lr|learning_rate|.*_s|.*per_s|.*seconds|time.*|eta.*|wall.*|elapsed.*|.*_norm|.*_weight|frozen_cache_.*)$";
  private static final Pattern BOOKKEEPING_PATTERN = Pattern.compile(BOOKKEEPING);
  // Tableau 10: distinct and readable on white.
  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
  private static final int LEFT = 78;
  private static final int RIGHT = 24;
  private static final int TOP = 40;
  private static final int BOTTOM = 56;

  /**
   * @param title chart title, or null
   * @param series the series to draw, in this order; empty = all but bookkeeping fields
   * @param logY log₁₀ y axis
   * @param smoothing exponential moving average weight in [0, 1) (TensorBoard's slider; 0 = off)
   * @param xLabel the x axis's name ("step" for training metrics)
   * @param errorBars per drawn series, the two series (lower, upper) drawn as a vertical bar at each of
   *     its points where both have a value at the same x (e.g. a bootstrap interval)
   */
  public record Options(String title, List<String> series, boolean logY, double smoothing, int width, int height,
                        String xLabel, Map<String, List<String>> errorBars) {
    public Options {
      series = series == null ? List.of() : List.copyOf(series);
      xLabel = xLabel == null ? "step" : xLabel;
      errorBars = errorBars == null ? Map.of() : Map.copyOf(errorBars);
      errorBars.forEach((name, bounds) -> {
        if (bounds.size() != 2) {
          throw new IllegalArgumentException("error bars of '" + name + "' need (lower, upper) series, got " + bounds);
        }
      });
      if (!(smoothing >= 0 && smoothing < 1)) {
        throw new IllegalArgumentException("smoothing must be in [0, 1), got " + smoothing);
      }
      if (width < 320 || height < 240 || width > 8000 || height > 8000) {
        throw new IllegalArgumentException("chart size must be 320x240 .. 8000x8000, got " + width + "x" + height);
      }
    }

    public static Options defaults() {
      return new Options("training losses", List.of(), false, 0, 960, 540, "step", Map.of());
    }

    public Options withLogY(boolean log) {
      return new Options(title, series, log, smoothing, width, height, xLabel, errorBars);
    }

    public Options withSmoothing(double weight) {
      return new Options(title, series, logY, weight, width, height, xLabel, errorBars);
    }

    public Options withSeries(List<String> names) {
      return new Options(title, names, logY, smoothing, width, height, xLabel, errorBars);
    }

    public Options withTitle(String newTitle) {
      return new Options(newTitle, series, logY, smoothing, width, height, xLabel, errorBars);
    }

    public Options withXLabel(String label) {
      return new Options(title, series, logY, smoothing, width, height, label, errorBars);
    }

    /** Error bars: series name → (lower series, upper series). */
    public Options withErrorBars(Map<String, List<String>> bars) {
      return new Options(title, series, logY, smoothing, width, height, xLabel, bars);
    }
  }

  private LossCurves() {}

  /** Reads {@code metricsJsonl}, draws it and writes {@code png}. */
  public static void write(Path metricsJsonl, Path png, Options options) {
    ReconstructionGrid.writePng(png, render(MetricsLog.read(metricsJsonl), options));
  }

  /**
   * Draws a training run's metrics JSONL as {@value #FILE} in {@code outputDir}, next to the
   * evaluation report (the training run, not the evaluation, owns the metrics file).
   */
  public static Path writeInto(Path metricsJsonl, Path outputDir, Options options) {
    Path png = outputDir.resolve(FILE);
    write(metricsJsonl, png, options);
    return png;
  }

  public static BufferedImage render(MetricsLog log, Options options) {
    List<String> names = chosenSeries(log, options);
    List<List<MetricsLog.Point>> drawn = new ArrayList<>();
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (String name : names) {
      List<MetricsLog.Point> points = drawable(log.series(name), options.logY());
      drawn.add(points);
      for (MetricsLog.Point p : points) {
        if (Double.isNaN(p.value())) {
          continue; // a gap; Math.min would turn the whole range into NaN
        }
        minX = Math.min(minX, p.step());
        maxX = Math.max(maxX, p.step());
        minY = Math.min(minY, p.value());
        maxY = Math.max(maxY, p.value());
      }
    }
    List<List<double[]>> bars = new ArrayList<>();
    for (String name : names) {
      List<double[]> drawnBars = errorBars(log, name, options);
      bars.add(drawnBars);
      for (double[] bar : drawnBars) {
        minY = Math.min(minY, bar[1]);
        maxY = Math.max(maxY, bar[2]);
      }
    }
    if (minX > maxX) {
      throw new IllegalArgumentException("none of the series " + names + " has a drawable value"
          + (options.logY() ? " (log scale needs values > 0)" : ""));
    }
    Axis xAxis = Axis.linear(minX, maxX);
    Axis yAxis = options.logY() ? Axis.log(minY, maxY) : Axis.linear(minY, maxY);

    BufferedImage image = new BufferedImage(options.width(), options.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, options.width(), options.height());
      Plot plot = new Plot(LEFT, TOP, options.width() - LEFT - RIGHT, options.height() - TOP - BOTTOM, xAxis, yAxis);
      drawFrame(g, plot, options);
      g.setClip(plot.left, plot.top, plot.width + 1, plot.height + 1);
      for (int s = 0; s < drawn.size(); s++) {
        Color color = PALETTE[s % PALETTE.length];
        List<MetricsLog.Point> points = drawn.get(s);
        if (options.smoothing() > 0) {
          g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 70));
          g.setStroke(new BasicStroke(1f));
          g.draw(plot.path(points));
          points = smoothed(points, options.smoothing());
        }
        g.setColor(color);
        g.setStroke(seriesStroke(s, 2f));
        g.draw(plot.path(points));
        g.setStroke(new BasicStroke(1.5f));
        for (double[] bar : bars.get(s)) {
          int x = plot.x(bar[0]);
          g.drawLine(x, plot.y(bar[1]), x, plot.y(bar[2]));
          g.drawLine(x - 4, plot.y(bar[1]), x + 4, plot.y(bar[1]));
          g.drawLine(x - 4, plot.y(bar[2]), x + 4, plot.y(bar[2]));
        }
      }
      g.setClip(null);
      drawLegend(g, plot, names, drawn, options);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** (x, lower, upper) where both bound series have a drawable value at the same x. */
  private static List<double[]> errorBars(MetricsLog log, String name, Options options) {
    List<String> bounds = options.errorBars().get(name);
    List<double[]> out = new ArrayList<>();
    if (bounds == null) {
      return out;
    }
    List<MetricsLog.Point> upper = log.series(bounds.get(1));
    for (MetricsLog.Point low : log.series(bounds.get(0))) {
      for (MetricsLog.Point high : upper) {
        boolean drawable = Double.isFinite(low.value()) && Double.isFinite(high.value())
            && (!options.logY() || low.value() > 0);
        if (high.step() == low.step() && drawable) {
          out.add(new double[] {low.step(), low.value(), high.value()});
        }
      }
    }
    return out;
  }

  static List<String> chosenSeries(MetricsLog log, Options options) {
    if (!options.series().isEmpty()) {
      options.series().forEach(log::series); // fails naming what exists
      return options.series();
    }
    List<String> names = new ArrayList<>();
    for (String name : log.series().keySet()) {
      if (!BOOKKEEPING_PATTERN.matcher(name).matches()) {
        names.add(name);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("the metrics log has no loss series (only " + log.series().keySet()
          + "); name the series to draw");
    }
    return names;
  }

  private static List<MetricsLog.Point> drawable(List<MetricsLog.Point> points, boolean logY) {
    List<MetricsLog.Point> out = new ArrayList<>();
    for (MetricsLog.Point p : points) {
      boolean ok = Double.isFinite(p.value()) && Double.isFinite(p.step()) && (!logY || p.value() > 0);
      // A NaN marks a gap: keep it so the path breaks there.
      out.add(ok ? p : new MetricsLog.Point(p.step(), Double.NaN));
    }
    return out;
  }

  // Exponential moving average with TensorBoard's debiasing (early points are not pulled to 0).
  static List<MetricsLog.Point> smoothed(List<MetricsLog.Point> points, double weight) {
    List<MetricsLog.Point> out = new ArrayList<>(points.size());
    double average = 0;
    int count = 0;
    for (MetricsLog.Point p : points) {
      if (Double.isNaN(p.value())) {
        out.add(p);
        continue;
      }
      average = weight * average + (1 - weight) * p.value();
      count++;
      out.add(new MetricsLog.Point(p.step(), average / (1 - Math.pow(weight, count))));
    }
    return out;
  }

  private static void drawFrame(Graphics2D g, Plot plot, Options options) {
    Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    g.setFont(tickFont);
    FontMetrics metrics = g.getFontMetrics();
    for (Axis.Tick tick : plot.yAxis.ticks()) {
      int y = plot.y(tick.value());
      g.setColor(tick.major() ? new Color(0xe0e0e0) : new Color(0xf0f0f0));
      g.drawLine(plot.left, y, plot.left + plot.width, y);
      if (tick.label() != null) {
        g.setColor(Color.DARK_GRAY);
        g.drawLine(plot.left - 5, y, plot.left, y);
        g.drawString(tick.label(), plot.left - 8 - metrics.stringWidth(tick.label()), y + metrics.getAscent() / 2 - 1);
      }
    }
    for (Axis.Tick tick : plot.xAxis.ticks()) {
      int x = plot.x(tick.value());
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(x, plot.top, x, plot.top + plot.height);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(x, plot.top + plot.height, x, plot.top + plot.height + 5);
      g.drawString(tick.label(), x - metrics.stringWidth(tick.label()) / 2, plot.top + plot.height + 8 + metrics.getAscent());
    }
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(plot.left, plot.top, plot.width, plot.height);
    g.setFont(labelFont);
    FontMetrics labelMetrics = g.getFontMetrics();
    g.drawString(options.xLabel(), plot.left + (plot.width - labelMetrics.stringWidth(options.xLabel())) / 2,
        plot.top + plot.height + 44);
    String yLabel = options.logY() ? "value (log scale)" : "value";
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(plot.top + (plot.height + labelMetrics.stringWidth(yLabel)) / 2), 18);
    g.setTransform(saved);
    if (options.title() != null) {
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.setColor(Color.BLACK);
      g.drawString(options.title(), plot.left, 26);
    }
  }

  private static void drawLegend(Graphics2D g, Plot plot, List<String> names, List<List<MetricsLog.Point>> drawn,
      Options options) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics metrics = g.getFontMetrics();
    List<String> entries = new ArrayList<>();
    int textWidth = 0;
    for (int s = 0; s < names.size(); s++) {
      String entry = names.get(s) + "  " + lastValue(drawn.get(s));
      entries.add(entry);
      textWidth = Math.max(textWidth, metrics.stringWidth(entry));
    }
    int line = metrics.getHeight() + 2;
    int boxW = textWidth + 44;
    int boxH = entries.size() * line + 10;
    Rectangle box = legendBox(plot, curvePixels(plot, drawn), boxW, boxH);
    int x = box.x;
    int y = box.y;
    g.setColor(new Color(255, 255, 255, 225));
    g.fillRect(x, y, boxW, boxH);
    g.setColor(new Color(0xb0b0b0));
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, y, boxW, boxH);
    for (int s = 0; s < entries.size(); s++) {
      int baseline = y + 5 + s * line + metrics.getAscent();
      int mid = baseline - metrics.getAscent() / 2 + 1;
      g.setColor(PALETTE[s % PALETTE.length]);
      g.setStroke(seriesStroke(s, 3f));
      g.drawLine(x + 8, mid, x + 30, mid);
      g.setColor(Color.BLACK);
      g.drawString(entries.get(s), x + 36, baseline);
    }
  }

  /**
   * Where the legend goes: the corner of the plot (top right first, then top left, bottom right,
   * bottom left) whose box covers the fewest curve pixels, so that it hides as little data as it can.
   */
  static Rectangle legendBox(Rectangle plot, List<Point> curve, int boxW, int boxH) {
    int margin = 10;
    int right = plot.x + plot.width - boxW - margin;
    int bottom = plot.y + plot.height - boxH - margin;
    List<Rectangle> corners = List.of(new Rectangle(right, plot.y + margin, boxW, boxH),
        new Rectangle(plot.x + margin, plot.y + margin, boxW, boxH), new Rectangle(right, bottom, boxW, boxH),
        new Rectangle(plot.x + margin, bottom, boxW, boxH));
    Rectangle best = corners.get(0);
    long fewest = Long.MAX_VALUE;
    for (Rectangle corner : corners) {
      long covered = curve.stream().filter(corner::contains).count();
      if (covered < fewest) {
        fewest = covered;
        best = corner;
      }
    }
    return best;
  }

  private static Rectangle legendBox(Plot plot, List<Point> curve, int boxW, int boxH) {
    return legendBox(new Rectangle(plot.left, plot.top, plot.width, plot.height), curve, boxW, boxH);
  }

  /** The drawn curves as pixels, each segment sampled every few pixels (a two-point line crosses a box too). */
  private static List<Point> curvePixels(Plot plot, List<List<MetricsLog.Point>> drawn) {
    List<Point> pixels = new ArrayList<>();
    for (List<MetricsLog.Point> series : drawn) {
      Point previous = null;
      for (MetricsLog.Point p : series) {
        if (Double.isNaN(p.value())) {
          previous = null;
          continue;
        }
        Point here = new Point(plot.x(p.step()), plot.y(p.value()));
        if (previous != null) {
          int samples = Math.max(1, (int) (previous.distance(here) / 4));
          for (int i = 1; i < samples; i++) {
            pixels.add(new Point(previous.x + (here.x - previous.x) * i / samples,
                previous.y + (here.y - previous.y) * i / samples));
          }
        }
        pixels.add(here);
        previous = here;
      }
    }
    return pixels;
  }

  /** Solid for the first round of colours, dashed for the next, dotted after: more series than colours stay apart. */
  private static BasicStroke seriesStroke(int series, float width) {
    int round = series / PALETTE.length;
    if (round == 0) {
      return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }
    float[] dash = round == 1 ? new float[] {9f, 5f} : new float[] {2f, 5f};
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
  }

  private static String lastValue(List<MetricsLog.Point> points) {
    for (int i = points.size() - 1; i >= 0; i--) {
      if (!Double.isNaN(points.get(i).value())) {
        return "last " + Axis.format(points.get(i).value());
      }
    }
    return "(no values)";
  }

  /** Data ↔ pixel mapping of the plotting area. */
  private record Plot(int left, int top, int width, int height, Axis xAxis, Axis yAxis) {
    int x(double step) {
      return left + (int) Math.round(xAxis.fraction(step) * width);
    }

    int y(double value) {
      return top + height - (int) Math.round(yAxis.fraction(value) * height);
    }

    Path2D path(List<MetricsLog.Point> points) {
      Path2D.Double path = new Path2D.Double();
      boolean pen = false;
      for (MetricsLog.Point p : points) {
        if (Double.isNaN(p.value())) {
          pen = false;
          continue;
        }
        double px = left + xAxis.fraction(p.step()) * width;
        double py = top + height - yAxis.fraction(p.value()) * height;
        if (pen) {
          path.lineTo(px, py);
        } else {
          path.moveTo(px, py);
          pen = true;
        }
      }
      return path;
    }
  }

  /** An axis range with "nice" ticks: 1-2-5 steps (linear) or decades (log). */
  record Axis(double min, double max, boolean log, List<Tick> ticks) {
    record Tick(double value, String label, boolean major) {}

    static Axis linear(double lo, double hi) {
      if (lo == hi) {
        double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
        lo -= pad;
        hi += pad;
      }
      double step = niceStep((hi - lo) / 6);
      double min = Math.floor(lo / step) * step;
      double max = Math.ceil(hi / step) * step;
      List<Tick> ticks = new ArrayList<>();
      for (long k = Math.round(min / step); k * step <= max + step * 1e-9; k++) {
        double v = k * step;
        ticks.add(new Tick(v, format(Math.abs(v) < step * 1e-9 ? 0 : v), true));
      }
      return new Axis(min, max, false, ticks);
    }

    static Axis log(double lo, double hi) {
      int first = (int) Math.floor(Math.log10(lo));
      int last = (int) Math.ceil(Math.log10(hi));
      if (first == last) {
        last++;
      }
      boolean labelMinor = last - first <= 2; // few decades: label 2× and 5× too
      List<Tick> ticks = new ArrayList<>();
      for (int e = first; e <= last; e++) {
        double decade = Math.pow(10, e);
        ticks.add(new Tick(decade, format(decade), true));
        if (e < last) {
          for (int m = 2; m <= 9; m++) {
            boolean labelled = labelMinor && (m == 2 || m == 5);
            ticks.add(new Tick(m * decade, labelled ? format(m * decade) : null, false));
          }
        }
      }
      return new Axis(Math.pow(10, first), Math.pow(10, last), true, ticks);
    }

    double fraction(double v) {
      return log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) : (v - min) / (max - min);
    }

    static double niceStep(double raw) {
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double r = raw / magnitude;
      double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
      return nice * magnitude;
    }

    /** Compact numbers: 1500 → 1.5k, 0.00012 → 1.2e-4, 0.25 → 0.25. */
    static String format(double v) {
      double a = Math.abs(v);
      if (a == 0) {
        return "0";
      }
      if (a >= 1e6) {
        return trim(String.format(Locale.ROOT, "%.3g", v / 1e6)) + "M";
      }
      if (a >= 1e4) {
        return trim(String.format(Locale.ROOT, "%.3g", v / 1e3)) + "k";
      }
      if (a >= 1e-3) {
        return trim(String.format(Locale.ROOT, "%.4g", v));
      }
      return String.format(Locale.ROOT, "%.1e", v).replace(".0e", "e").replace("e-0", "e-");
    }

    private static String trim(String s) {
      return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
  }

  /** Series names of a log that {@link #render} would draw by default. */
  public static List<String> defaultSeries(MetricsLog log) {
    return chosenSeries(log, Options.defaults());
  }
}
