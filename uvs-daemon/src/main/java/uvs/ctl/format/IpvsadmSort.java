package uvs.ctl.format;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.svc.ServiceKey;
import uvs.ctl.view.DestView;
import uvs.ctl.view.ServiceView;

/**
 * ipvsadm's default sort (libipvs ipvs_cmp_services / ipvs_cmp_dests under glibc's qsort).
 *
 * <p>Services compare by firewall mark, address family, protocol, address (32-bit words), port; real
 * servers by address, then port. libipvs subtracts the unsigned 32-bit marks and address words and reads
 * the difference as a signed int, so two values more than 2^31 apart compare the wrong way round (e.g.
 * 192.168.0.1 sorts before 10.0.0.1, and a mark ≥ 2^31 before the address services). That comparison is not
 * a total order, so the result also depends on the algorithm: this is glibc's merge sort (msort: split at
 * n/2, sort both halves, merge taking the left element while it compares ≤ 0), which glibc's qsort uses
 * whenever it can allocate its buffer.
 */
final class IpvsadmSort {
    private static final Comparator<ServiceView> SERVICES = IpvsadmSort::compareServices;
    private static final Comparator<DestView> DESTS = IpvsadmSort::compareDests;

    private IpvsadmSort() {
    }

    /** The services in ipvsadm's sorted order. */
    static List<ServiceView> services(List<ServiceView> in) {
        return msort(in, SERVICES);
    }

    /** The real servers in ipvsadm's sorted order. */
    static List<DestView> dests(List<DestView> in) {
        return msort(in, DESTS);
    }

    /** ipvs_cmp_services, with C's unsigned-difference-as-int arithmetic. */
    static int compareServices(ServiceView a, ServiceView b) {
        ServiceKey x = a.key();
        ServiceKey y = b.key();
        int r = x.fwmark() - y.fwmark();
        if (r != 0) {
            return r;
        }
        r = x.af() - y.af();
        if (r != 0) {
            return r;
        }
        r = x.protocol() - y.protocol();
        if (r != 0) {
            return r;
        }
        // firewall-mark services have a zero address in the kernel's entry
        r = compareAddresses(x.af(), x.address(), y.address());
        if (r != 0) {
            return r;
        }
        return x.port() - y.port();
    }

    /** ipvs_cmp_dests, with C's unsigned-difference-as-int arithmetic. */
    static int compareDests(DestView a, DestView b) {
        int r = compareAddresses(a.address().af(), a.address(), b.address());
        if (r != 0) {
            return r;
        }
        return a.port() - b.port();
    }

    /** Word-by-word difference of two addresses (four words when {@code af} is IPv6, else one). */
    private static int compareAddresses(int af, IpAddress a, IpAddress b) {
        long aHi = a == null ? 0 : a.hi();
        long aLo = a == null ? 0 : a.lo();
        long bHi = b == null ? 0 : b.hi();
        long bLo = b == null ? 0 : b.lo();
        if (af != Af.INET6) {
            return (int) aLo - (int) bLo;
        }
        int r = (int) (aHi >>> 32) - (int) (bHi >>> 32);
        if (r == 0) {
            r = (int) aHi - (int) bHi;
        }
        if (r == 0) {
            r = (int) (aLo >>> 32) - (int) (bLo >>> 32);
        }
        if (r == 0) {
            r = (int) aLo - (int) bLo;
        }
        return r;
    }

    /** glibc's msort_with_tmp on a copy of {@code in}. */
    static <T> List<T> msort(List<T> in, Comparator<? super T> cmp) {
        List<T> a = new ArrayList<>(in);
        List<T> tmp = new ArrayList<>(in);
        msort(a, tmp, 0, a.size(), cmp);
        return a;
    }

    private static <T> void msort(List<T> b, List<T> tmp, int from, int n, Comparator<? super T> cmp) {
        if (n <= 1) {
            return;
        }
        int n1 = n / 2;
        int n2 = n - n1;
        msort(b, tmp, from, n1, cmp);
        msort(b, tmp, from + n1, n2, cmp);
        int i1 = from;
        int i2 = from + n1;
        int out = 0;
        while (n1 > 0 && n2 > 0) {
            if (cmp.compare(b.get(i1), b.get(i2)) <= 0) {
                tmp.set(out++, b.get(i1++));
                n1--;
            } else {
                tmp.set(out++, b.get(i2++));
                n2--;
            }
        }
        while (n1 > 0) {
            tmp.set(out++, b.get(i1++));
            n1--;
        }
        // what is left of the second half is already in place
        for (int i = 0; i < out; i++) {
            b.set(from + i, tmp.get(i));
        }
    }
}
