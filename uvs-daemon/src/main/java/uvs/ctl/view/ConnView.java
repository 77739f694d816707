package uvs.ctl.view;

import java.util.Objects;
import uvs.core.conn.ConnFlags;
import uvs.core.net.IpAddress;

/**
 * One connection entry or persistence template as /proc/net/ip_vs_conn shows it.
 *
 * @param protocol IP protocol (0 for firewall-mark templates)
 * @param caddr client address (a template's is masked by the service netmask)
 * @param cport client port (0 on templates)
 * @param vaddr virtual address (a firewall-mark template holds the mark here, e.g. 0.0.0.1)
 * @param vport virtual port
 * @param daddr real server address
 * @param dport real server port
 * @param stateName state as the kernel names it (ESTABLISHED, NONE, ASSURED, ERR!, ...)
 * @param expiresSeconds whole seconds until the entry's timer fires (truncated, never negative)
 * @param flags IP_VS_CONN_F_* bits
 * @param peName persistence engine name, or null when the entry carries no PE data
 * @param peData PE data (e.g. a SIP Call-ID), one char per byte (ISO-8859-1), or null
 */
public record ConnView(int protocol, IpAddress caddr, int cport, IpAddress vaddr, int vport, IpAddress daddr,
                       int dport, String stateName, int expiresSeconds, int flags, String peName, String peData) {
    /** Checks that nothing is missing, the ports fit 16 bits and the client and virtual family agree. */
    public ConnView {
        Objects.requireNonNull(caddr, "caddr");
        Objects.requireNonNull(vaddr, "vaddr");
        Objects.requireNonNull(daddr, "daddr");
        Objects.requireNonNull(stateName, "stateName");
        if (caddr.af() != vaddr.af()) {
            throw new IllegalArgumentException("client and virtual address families differ");
        }
        if ((cport | vport | dport) < 0 || cport > 0xffff || vport > 0xffff || dport > 0xffff) {
            throw new IllegalArgumentException("connection port out of range 0..65535");
        }
        if (expiresSeconds < 0) {
            throw new IllegalArgumentException("expiry " + expiresSeconds + " s is negative");
        }
    }

    /** Address family of the client side (the kernel's cp->af). */
    public int af() {
        return caddr.af();
    }

    /** True for a persistence template. */
    public boolean isTemplate() {
        return (flags & ConnFlags.TEMPLATE) != 0;
    }

    /** True if created or last updated by a sync message. */
    public boolean isSynced() {
        return (flags & ConnFlags.SYNC) != 0;
    }

    /** "SYNC" or "LOCAL", as /proc/net/ip_vs_conn_sync names the origin. */
    public String originName() {
        return isSynced() ? "SYNC" : "LOCAL";
    }

    /** True if PE name and data are both known (the kernel then appends them to the /proc line). */
    public boolean hasPeData() {
        return peName != null && peData != null && !peData.isEmpty();
    }
}
