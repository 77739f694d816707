package uvs.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A distribution of a per-connection integer (packets, milliseconds) as a scenario file writes it: {@code N}
 * (fixed), {@code exp:MEAN}, {@code lognormal:MEDIAN:SIGMA} or {@code uniform:MIN:MAX}.
 *
 * @param kind  the family
 * @param first the fixed value, the mean, the median or the minimum
 * @param second sigma or the maximum; 0 for fixed and exp
 */
public record Distribution(Kind kind, double first, double second) {

    /** Distribution families. */
    public enum Kind {
        /** Always {@code first}; draws nothing from the random source. */
        FIXED,
        /** Exponential with mean {@code first}. */
        EXP,
        /** Log-normal with median {@code first} and shape {@code second}. */
        LOGNORMAL,
        /** Integers {@code first..second}, each equally likely. */
        UNIFORM
    }

    /** A fixed value. */
    public static Distribution fixed(int value) {
        return new Distribution(Kind.FIXED, value, 0);
    }

    /**
     * Parses {@code text}; every value must be within {@code min..max}.
     *
     * @throws IllegalArgumentException naming the problem (without file or line)
     */
    public static Distribution parse(String text, int min, int max) {
        String[] w = text.strip().split(":", -1);
        String form = switch (w[0]) {
            case "exp" -> "exp:MEAN";
            case "lognormal" -> "lognormal:MEDIAN:SIGMA";
            case "uniform" -> "uniform:MIN:MAX";
            default -> w.length == 1 ? "N" : null;
        };
        if (form == null) {
            throw new IllegalArgumentException("'" + text + "' is not N, exp:MEAN, lognormal:MEDIAN:SIGMA or "
                + "uniform:MIN:MAX");
        }
        int arity = form.split(":").length;
        if (w.length != arity) {
            throw new IllegalArgumentException("'" + text + "': expected " + form);
        }
        if (arity == 1) {
            return fixed((int) inRange(text, w[0], min, max, true));
        }
        double a = inRange(text, w[1], min, max, w[0].equals("uniform"));
        return switch (w[0]) {
            case "exp" -> new Distribution(Kind.EXP, a, 0);
            case "lognormal" -> {
                double sigma = number(text, w[2]);
                if (!(sigma > 0 && sigma <= 5)) {
                    throw new IllegalArgumentException("'" + text + "': sigma " + w[2] + " outside (0, 5]");
                }
                yield new Distribution(Kind.LOGNORMAL, a, sigma);
            }
            default -> {
                double b = inRange(text, w[2], min, max, true);
                if (b < a) {
                    throw new IllegalArgumentException("'" + text + "': MAX " + w[2] + " below MIN " + w[1]);
                }
                yield new Distribution(Kind.UNIFORM, a, b);
            }
        };
    }

    private static double inRange(String text, String v, int min, int max, boolean integer) {
        double n = number(text, v);
        if (integer && n != Math.rint(n)) {
            throw new IllegalArgumentException("'" + text + "': " + v + " is not an integer");
        }
        if (!(n >= min && n <= max)) {
            throw new IllegalArgumentException("'" + text + "': " + v + " outside " + min + ".." + max);
        }
        return n;
    }

    private static double number(String text, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': '" + v + "' is not a number");
        }
    }

    /** True for a fixed value (which draws nothing). */
    public boolean isFixed() {
        return kind == Kind.FIXED;
    }

    /** The mean of the distribution before rounding and clamping. */
    public double mean() {
        return switch (kind) {
            case FIXED, EXP -> first;
            case LOGNORMAL -> first * Math.exp(second * second / 2);
            case UNIFORM -> (first + second) / 2;
        };
    }

    /**
     * One value, rounded and at least {@code min}; a fixed value draws nothing from {@code random} (so a
     * scenario without distributions consumes the same random numbers as before they existed).
     */
    public int sample(SplittableRandom random, int min) {
        double v = switch (kind) {
            case FIXED -> first;
            // inverse transform; 1 - u is in (0, 1] so the log is finite
            case EXP -> -first * Math.log(1 - random.nextDouble());
            case LOGNORMAL -> first * Math.exp(second * gaussian(random));
            case UNIFORM -> first + random.nextInt((int) (second - first) + 1);
        };
        return (int) Math.max(min, Math.min(Integer.MAX_VALUE / 4, Math.round(v)));
    }

    /** A standard normal deviate (Box-Muller, one of the pair). */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** As a scenario file writes it. */
    @Override
    public String toString() {
        return switch (kind) {
            case FIXED -> Long.toString((long) first);
            case EXP -> "exp:" + num(first);
            case LOGNORMAL -> "lognormal:" + num(first) + ":" + num(second);
            case UNIFORM -> "uniform:" + (long) first + ":" + (long) second;
        };
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
