/**
 * Charts drawn with Java2D and written as PNG: {@link dev.aligntok.trainer.charts.LossCurves}
 * (training metrics against step, as {@code loss-curves.png}).
 *
 * <p>Layering: charts may import {@code trainer.train} (only the metrics log it draws) and
 * {@code inference.image} (PNG writing). The commands and reports that write pictures (cli,
 * diffusion, study) import charts; eval must not, so the dependency runs one way.
 */
package dev.aligntok.trainer.charts;
