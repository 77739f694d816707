package uvs.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How clients end their connections, as shares: {@code fin} (FIN+ACK: FIN_WAIT on a director routing directly), {@code rst} (RST: CLOSE),
 * {@code abandon} (the client stops sending; the entry lives until its ESTABLISHED timeout). Written
 * {@code fin}, {@code rst}, {@code abandon} or a mix {@code fin:0.8,rst:0.1,abandon:0.1} (shares summing to 1).
 *
 * @param fin     share of FIN closes
 * @param rst     share of RST closes
 * @param abandon share of abandoned connections
 */
public record CloseMix(double fin, double rst, double abandon) {
    /** Ends with FIN+ACK. */
    public static final int FIN = 0;
    /** Ends with RST. */
    public static final int RST = 1;
    /** Stops sending without closing. */
    public static final int ABANDON = 2;
    /** Every connection ends with FIN+ACK. */
    public static final CloseMix ALL_FIN = new CloseMix(1, 0, 0);

    /**
     * Parses a close behaviour.
     *
     * @throws IllegalArgumentException naming the problem (without file or line)
     */
    public static CloseMix parse(String text) {
        double[] share = new double[3];
        boolean[] seen = new boolean[3];
        String[] parts = text.split(",");
        for (String part : parts) {
            String[] w = part.strip().split(":", -1);
            int kind = switch (w[0]) {
                case "fin" -> FIN;
                case "rst" -> RST;
                case "abandon" -> ABANDON;
                default -> throw new IllegalArgumentException("unknown close '" + w[0] + "' (known: fin, rst, abandon)");
            };
            if (seen[kind]) {
                throw new IllegalArgumentException("'" + w[0] + "' given twice");
            }
            seen[kind] = true;
            if (w.length == 1 && parts.length == 1) {
                share[kind] = 1;
            } else if (w.length == 2) {
                try {
                    share[kind] = Double.parseDouble(w[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + part.strip() + "': '" + w[1] + "' is not a number");
                }
                if (!(share[kind] >= 0 && share[kind] <= 1)) {
                    throw new IllegalArgumentException("'" + part.strip() + "': share outside 0..1");
                }
            } else {
                throw new IllegalArgumentException("'" + part.strip() + "': expected KIND:SHARE in a mix");
            }
        }
        double sum = share[0] + share[1] + share[2];
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("shares sum to " + String.format(Locale.ROOT, "%.3f", sum)
                + ", not 1");
        }
        return new CloseMix(share[0], share[1], share[2]);
    }

    /** True when every connection closes the same way (nothing is drawn). */
    public boolean isPure() {
        return fin == 1 || rst == 1 || abandon == 1;
    }

    /** {@link #FIN}, {@link #RST} or {@link #ABANDON}; draws from {@code random} only for a mix. */
    public int pick(SplittableRandom random) {
        if (isPure()) {
            return fin == 1 ? FIN : rst == 1 ? RST : ABANDON;
        }
        double u = random.nextDouble();
        return u < fin ? FIN : u < fin + rst ? RST : ABANDON;
    }

    /** As a scenario file writes it. */
    @Override
    public String toString() {
        if (isPure()) {
            return fin == 1 ? "fin" : rst == 1 ? "rst" : "abandon";
        }
        return String.format(Locale.ROOT, "fin:%s,rst:%s,abandon:%s", fin, rst, abandon);
    }
}
