package uvs.daemon.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import uvs.core.svc.RealServerConfig;
import uvs.ctl.health.CheckKind;

/** keepalived's FILE_CHECK: the number in a tracked file decides up, down and weight ({@link CheckKind.TrackFile}). */
final class TrackFileCheck implements HealthCheck {
    /** keepalived's IPVS_WEIGHT_MAX: a product clamped to its negative is the fault state (down). */
    static final long FAULT = -Integer.MAX_VALUE;
    // keepalived reads at most this many bytes of the file
    private static final int READ_LIMIT = 127;

    private final CheckKind.TrackFile spec;
    private final int configuredWeight;

    TrackFileCheck(CheckKind.TrackFile spec, int configuredWeight) {
        this.spec = spec;
        this.configuredWeight = configuredWeight;
    }

    @Override
    public CheckResult run() {
        long value;
        try {
            value = strtol(read());
        } catch (IOException e) {
            return CheckResult.down("cannot read " + spec.file() + ": " + LogText.describe(e));
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            // keepalived ignores such a number: the server stays as it was
            return CheckResult.suspended(spec.file() + " holds a number beyond an int: ignored");
        }
        String seen = spec.file() + " holds " + value;
        if (spec.weight() == 0) {
            boolean down = (value != 0) != spec.reverse();
            return down ? CheckResult.down(seen) : CheckResult.up(seen);
        }
        long status = value * spec.weight() * (spec.reverse() ? -1 : 1);
        status = Math.clamp(status, FAULT, Integer.MAX_VALUE - 1L);
        if (status == FAULT) {
            return CheckResult.down(seen + ": fault");
        }
        int weight = (int) Math.clamp(configuredWeight + status, 0, RealServerConfig.MAX_WEIGHT);
        return status == 0 ? CheckResult.up(seen) : CheckResult.upWithWeight(weight, seen + ": weight " + weight);
    }

    // a missing file reads as empty, as keepalived takes it as 0
    private String read() throws IOException {
        try (InputStream in = Files.newInputStream(spec.file())) {
            return new String(in.readNBytes(READ_LIMIT), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException gone) {
            return "";
        }
    }

    /** C's {@code strtol(text, NULL, 0)}: blanks, a sign, then 0x hex, 0 octal or decimal digits; none is 0. */
    static long strtol(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i + 1 < n && text.charAt(i) == '0' && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')
            && i + 2 < n && Character.digit(text.charAt(i + 2), 16) >= 0) {
            radix = 16;
            i += 2;
        } else if (i < n && text.charAt(i) == '0') {
            radix = 8;
        }
        long v = 0;
        while (i < n) {
            int d = Character.digit(text.charAt(i), radix);
            if (d < 0) {
                break;
            }
            // strtol saturates beyond a long; anything past an int is ignored by the caller anyway
            v = Math.min(v * radix + d, 1L << 40);
            i++;
        }
        return negative ? -v : v;
    }
}
