package jp.tsunagi.gateway.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bar chart drawn on the server as SVG (no script): the shapes, texts and legend the template writes into an
 * {@code <svg role="img">} with a {@code <title>} and a {@code <desc>} (what a screen reader says), and the same
 * figures as a table beside it. Values go into the page through the template, which escapes them.
 */
public record SvgChart(String id, String title, String summary, int width, int height, List<Shape> bars,
                       List<Text> texts, List<Line> lines, List<Legend> legend, Table table) {
    /** Okabe-Ito colours, told apart with colour-blindness too; each series also has its row in the table. */
    private static final List<String> COLOURS = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9",
            "#E69F00", "#000000", "#999999");
    private static final int WIDTH = 640;
    private static final int HEIGHT = 260;

    /** A rectangle; {@code tip} is its SVG {@code <title>}. */
    public record Shape(String x, String y, String width, String height, String fill, String tip) {
    }

    public record Text(String x, String y, String anchor, String text) {
    }

    public record Line(String x1, String y1, String x2, String y2) {
    }

    public record Legend(String colour, String label) {
    }

    public record Table(String caption, List<String> columns, List<List<String>> rows) {
    }

    /**
     * Stacked columns, one per category (a day), one colour per series (an agency).
     *
     * @param values   values[category][series]
     * @param every    label every n-th category on the axis (all of them are in the table)
     */
    public static SvgChart stacked(String id, String title, String summary, List<String> categories, List<String> series,
            long[][] values, int every, String categoryColumn, String totalColumn) {
        int left = 48;
        int right = 12;
        int top = 12;
        int bottom = 36;
        double plotWidth = WIDTH - left - right;
        double plotHeight = HEIGHT - top - bottom;
        long max = 1;
        for (long[] row : values) {
            long sum = 0;
            for (long v : row) {
                sum += v;
            }
            max = Math.max(max, sum);
        }
        List<Shape> bars = new ArrayList<>();
        List<Text> texts = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        double slot = plotWidth / Math.max(1, categories.size());
        for (int i = 0; i < categories.size(); i++) {
            double y = top + plotHeight;
            for (int s = 0; s < series.size(); s++) {
                long v = values[i][s];
                if (v == 0) {
                    continue;
                }
                double h = plotHeight * v / max;
                y -= h;
                bars.add(new Shape(n(left + i * slot + slot * 0.1), n(y), n(slot * 0.8), n(h), colour(s),
                        categories.get(i) + " " + series.get(s) + ": " + v));
            }
            if (i % every == 0) {
                texts.add(new Text(n(left + i * slot + slot / 2), n(HEIGHT - bottom + 16), "middle", categories.get(i)));
            }
        }
        axes(left, top, plotWidth, plotHeight, max, lines, texts);
        List<Legend> legend = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            legend.add(new Legend(colour(s), series.get(s)));
        }
        List<String> columns = new ArrayList<>();
        columns.add(categoryColumn);
        columns.addAll(series);
        columns.add(totalColumn);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < categories.size(); i++) {
            long total = 0;
            List<String> row = new ArrayList<>();
            row.add(categories.get(i));
            for (int s = 0; s < series.size(); s++) {
                row.add(Long.toString(values[i][s]));
                total += values[i][s];
            }
            row.add(Long.toString(total));
            if (total > 0) {
                rows.add(row); // the table lists the days that have something
            }
        }
        return new SvgChart(id, title, summary, WIDTH, HEIGHT, bars, texts, lines, legend, new Table(title, columns, rows));
    }

    /** Horizontal bars, one per category (a code, a latency range), in the order given. */
    public static SvgChart ranked(String id, String title, String summary, List<String> categories, long[] values,
            String categoryColumn, String valueColumn) {
        int left = 220;
        int right = 48;
        int rowHeight = 24;
        int top = 8;
        int height = Math.max(1, categories.size()) * rowHeight + top * 2;
        double plotWidth = WIDTH - left - right;
        long max = 1;
        for (long v : values) {
            max = Math.max(max, v);
        }
        List<Shape> bars = new ArrayList<>();
        List<Text> texts = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < categories.size(); i++) {
            double y = top + i * rowHeight;
            double w = plotWidth * values[i] / max;
            texts.add(new Text(n(left - 8), n(y + rowHeight * 0.7), "end", categories.get(i)));
            if (values[i] > 0) {
                bars.add(new Shape(n(left), n(y + 3), n(w), n(rowHeight - 6), colour(0), categories.get(i) + ": " + values[i]));
            }
            texts.add(new Text(n(left + w + 6), n(y + rowHeight * 0.7), "start", Long.toString(values[i])));
            rows.add(List.of(categories.get(i), Long.toString(values[i])));
        }
        List<Line> lines = List.of(new Line(n(left), n(top), n(left), n(height - top)));
        return new SvgChart(id, title, summary, WIDTH, height, bars, texts, lines, List.of(),
                new Table(title, List.of(categoryColumn, valueColumn), rows));
    }

    public String viewBox() {
        return "0 0 " + width + " " + height;
    }

    private static void axes(int left, int top, double plotWidth, double plotHeight, long max, List<Line> lines, List<Text> texts) {
        double bottom = top + plotHeight;
        lines.add(new Line(n(left), n(top), n(left), n(bottom)));
        lines.add(new Line(n(left), n(bottom), n(left + plotWidth), n(bottom)));
        for (long tick : new long[] {0, max / 2, max}) {
            if (tick == max / 2 && (max < 2 || max / 2 == 0)) {
                continue;
            }
            double y = bottom - plotHeight * tick / max;
            texts.add(new Text(n(left - 6), n(y + 4), "end", Long.toString(tick)));
        }
    }

    private static String colour(int series) {
        return COLOURS.get(series % COLOURS.size());
    }

    private static String n(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
