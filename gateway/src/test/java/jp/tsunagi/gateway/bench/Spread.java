package jp.tsunagi.gateway.bench;

import java.util.Arrays;

/** Min / median / max of repeated runs, as docs/benchmarks.md gives every figure. */
public final class Spread {
    private Spread() {
    }

    public static String of(double[] values, String format) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format(format + " / " + format + " / " + format, sorted[0], median, sorted[sorted.length - 1]);
    }
}
