package uvs.ctl.importer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;

/**
 * A keepalived {@code virtual_server_group}: addresses with an optional port (single, {@code a.b.c.d-e},
 * {@code a.b.c.d-w.x.y.z}, {@code prefix/len}, and the IPv6 forms) and firewall marks.
 *
 * @param name its name
 * @param entries its members, ranges expanded
 */
record KeepalivedGroup(String name, List<Entry> entries) {
    /** Largest range expanded (larger ones are an error rather than thousands of services). */
    static final int MAX_RANGE = 1024;

    /**
     * One member.
     *
     * @param address the VIP, or null for a firewall mark
     * @param port the port, -1 when none is given
     * @param fwmark the mark, or 0
     * @param af the mark's family given with it, or 0
     */
    record Entry(IpAddress address, int port, long fwmark, int af) {
    }

    /** Reads the group block; bad members are errors. */
    static KeepalivedGroup parse(ConfStatement s, KeepalivedValues v) {
        List<Entry> entries = new ArrayList<>();
        if (s.arg(0) == null) {
            v.diagnostics().error(s.at(), "virtual_server_group needs a name");
        }
        if (s.block() == null) {
            v.diagnostics().error(s.at(), "virtual_server_group needs a { } block");
            return new KeepalivedGroup(s.arg(0), List.of());
        }
        for (ConfStatement e : s.block()) {
            if (e.keyword().equals("fwmark")) {
                fwmark(e, v, entries);
            } else {
                addresses(e, v, entries);
            }
        }
        if (entries.isEmpty()) {
            v.diagnostics().warn(s.at(), "virtual_server_group " + s.arg(0) + " has no entries");
        }
        return new KeepalivedGroup(s.arg(0), List.copyOf(entries));
    }

    private static void fwmark(ConfStatement e, KeepalivedValues v, List<Entry> out) {
        if (e.args().isEmpty() || e.args().size() > 2) {
            v.diagnostics().error(e.at(), "group entry 'fwmark' needs a mark and optionally inet|inet6");
            return;
        }
        Long mark = v.number(e, e.arg(0), 1, 0xffff_ffffL);
        int af = 0;
        if (e.args().size() == 2) {
            af = switch (e.arg(1)) {
                case "inet" -> Af.INET;
                case "inet6" -> Af.INET6;
                default -> -1;
            };
            if (af < 0) {
                v.diagnostics().error(e.at(), "fwmark family must be inet or inet6, not '" + e.arg(1) + "'");
                return;
            }
        }
        if (mark != null) {
            out.add(new Entry(null, -1, mark, af));
        }
    }

    private static void addresses(ConfStatement e, KeepalivedValues v, List<Entry> out) {
        if (e.args().size() > 1) {
            v.diagnostics().error(e.at(), "group entry needs an address (or range) and at most a port");
            return;
        }
        int port = -1;
        if (e.args().size() == 1) {
            port = v.port(e, e.arg(0), "virtual server group", true);
            if (port < 0) {
                return;
            }
        }
        List<IpAddress> range = range(e.keyword());
        if (range == null) {
            v.diagnostics().error(e.at(), "invalid address or range '" + e.keyword() + "' in virtual_server_group");
            return;
        }
        if (range.size() > MAX_RANGE) {
            v.diagnostics().error(e.at(), "range '" + e.keyword() + "' has more than " + MAX_RANGE
                + " addresses (larger ranges are not expanded)");
            return;
        }
        for (IpAddress a : range) {
            out.add(new Entry(a, port, 0, a.af()));
        }
    }

    // the addresses of a single address, a range or a prefix; null when malformed; a larger range is cut
    // after MAX_RANGE + 1 addresses, enough for the caller to see that it is too large
    static List<IpAddress> range(String text) {
        int slash = text.indexOf('/');
        if (slash >= 0) {
            IpAddress base = ConfValues.address(text.substring(0, slash));
            int bits = base == null ? 0 : base.isV6() ? 128 : 32;
            long len = ConfValues.number(text.substring(slash + 1), 0, bits);
            if (base == null || len < 0) {
                return null;
            }
            BigInteger size = BigInteger.ONE.shiftLeft(bits - (int) len);
            BigInteger first = value(base).shiftRight(bits - (int) len).shiftLeft(bits - (int) len);
            return span(base, first, first.add(size).subtract(BigInteger.ONE));
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            IpAddress a = ConfValues.address(text);
            return a == null ? null : List.of(a);
        }
        IpAddress first = ConfValues.address(text.substring(0, dash));
        if (first == null) {
            return null;
        }
        String end = text.substring(dash + 1);
        IpAddress last = ConfValues.address(end);
        if (last == null) {
            // only the last part is given: a decimal octet (IPv4) or a hex group (IPv6)
            int radix = first.isV6() ? 16 : 10;
            int width = first.isV6() ? 16 : 8;
            long part;
            try {
                part = end.isEmpty() || end.length() > 4 ? -1 : Long.parseLong(end, radix);
            } catch (NumberFormatException ex) {
                part = -1;
            }
            if (part < 0 || part >= (1L << width)) {
                return null;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
            last = fromValue(first, value(first).andNot(mask).or(BigInteger.valueOf(part)));
        }
        if (last.af() != first.af() || value(last).compareTo(value(first)) < 0) {
            return null;
        }
        return span(first, value(first), value(last));
    }

    private static List<IpAddress> span(IpAddress like, BigInteger from, BigInteger to) {
        List<IpAddress> out = new ArrayList<>();
        BigInteger limit = from.add(BigInteger.valueOf(MAX_RANGE));
        for (BigInteger i = from; i.compareTo(to) <= 0 && i.compareTo(limit) <= 0; i = i.add(BigInteger.ONE)) {
            out.add(fromValue(like, i));
        }
        return out;
    }

    private static BigInteger value(IpAddress a) {
        return new BigInteger(1, a.toBytes());
    }

    private static IpAddress fromValue(IpAddress like, BigInteger v) {
        int len = like.isV6() ? 16 : 4;
        byte[] raw = v.toByteArray();
        byte[] b = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, b, len - copy, copy);
        return IpAddress.fromBytes(b);
    }
}
