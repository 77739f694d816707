package uvs.sync.tools;

import java.nio.charset.StandardCharsets;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.proto.StateNames;
import uvs.core.svc.ForwardMethod;
import uvs.sync.codec.SyncEntry;

/**
 * One received sync entry as one line, for the sync sniffer: protocol, state, client, virtual and real
 * addresses, forwarding method, the flags as the datagram carried them, and timeout, in the spirit of
 * {@code ipvsadm -Lnc}.
 */
public final class SyncEntryFormat {
    private SyncEntryFormat() {
    }

    /** The entry as one line (no line terminator). */
    public static String format(SyncEntry e) {
        boolean template = (e.flags & ConnFlags.TEMPLATE) != 0;
        String virtual = e.protocol == IpProto.IP && template
            ? "fwmark " + Integer.toUnsignedString(fwmarkOf(e)) + ":" + e.vport
            : endpoint(e.af, e.vaddrHi, e.vaddrLo, e.vport);
        StringBuilder sb = new StringBuilder(128);
        sb.append(String.format("%-4s %-11s %-22s %-22s %-22s %-6s flags=0x%04x%s timeout=%d",
            IpProto.name(e.protocol), StateNames.connStateName(e.protocol, e.state, template),
            endpoint(e.af, e.caddrHi, e.caddrLo, e.cport), virtual, endpoint(e.af, e.daddrHi, e.daddrLo, e.dport),
            ForwardMethod.fromConnFlags(e.flags).displayName(), e.wireFlags, flagNames(e.wireFlags), e.timeout));
        if (e.fwmark != 0) {
            sb.append(" fwmark=").append(Integer.toUnsignedString(e.fwmark));
        }
        if (e.expiresInMillis >= 0) {
            sb.append(String.format(" expires_in=%d.%03ds", e.expiresInMillis / 1000, e.expiresInMillis % 1000));
        }
        if (e.peDataLength > 0) {
            sb.append(" pe=").append(e.peNameString()).append(':')
                .append(new String(e.peData, 0, e.peDataLength, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    private static int fwmarkOf(SyncEntry e) {
        return e.af == Af.INET ? (int) e.vaddrLo : (int) (e.vaddrHi >>> 32);
    }

    private static String endpoint(int af, long hi, long lo, int port) {
        if (af == Af.INET) {
            return IpAddress.v4((int) lo) + ":" + port;
        }
        return "[" + IpAddress.formatV6(hi, lo) + "]:" + port;
    }

    private static String flagNames(int flags) {
        StringBuilder sb = new StringBuilder();
        append(sb, flags, ConnFlags.TEMPLATE, "TEMPLATE");
        append(sb, flags, ConnFlags.INACTIVE, "INACTIVE");
        append(sb, flags, ConnFlags.NOOUTPUT, "NOOUTPUT");
        append(sb, flags, ConnFlags.NO_CPORT, "NO_CPORT");
        append(sb, flags, ConnFlags.SEQ_MASK, "SEQ");
        append(sb, flags, ConnFlags.ONE_PACKET, "ONE_PACKET");
        append(sb, flags, ConnFlags.NFCT, "NFCT");
        return sb.length() == 0 ? "" : "(" + sb + ")";
    }

    private static void append(StringBuilder sb, int flags, int bit, String name) {
        if ((flags & bit) != 0) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(name);
        }
    }
}
