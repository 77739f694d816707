package uvs.net.dataplane;

/**
 * Where a packet for a destination goes next: through which of the data-plane interfaces (its port index,
 * in the order of {@code uvsd --interface}) and to which neighbour there — the destination itself when it
 * is on-link, or a gateway. Lookups must not allocate.
 */
public interface NextHops {
    /** Fills {@code out} with the next hop toward {@code <af, hi, lo>}; false when no route leads there. */
    boolean lookup(int af, long hi, long lo, Hop out);

    /** Calls {@code visitor} for every gateway (their MACs are resolved before traffic needs them). */
    void gateways(AddressVisitor visitor);

    /** True when {@code <af, hi, lo>} is reached through one of the data-plane interfaces. */
    default boolean reaches(int af, long hi, long lo) {
        return lookup(af, hi, lo, new Hop());
    }

    /**
     * Every destination on the link, no gateway: the next hop is the destination itself (a flat segment,
     * and the worker's tests and benchmarks).
     */
    static NextHops onLink() {
        return OnLink.INSTANCE;
    }

    /** A next hop (reused; never allocated per packet). */
    final class Hop {
        /** The data-plane interface it is reached through (index into the worker's ports). */
        public int port;
        /** Family. */
        public int af;
        /** High half (IPv6). */
        public long hi;
        /** Low half (IPv4 in the low 32 bits). */
        public long lo;

        /** Sets the address on the first interface. */
        public Hop set(int family, long high, long low) {
            return set(0, family, high, low);
        }

        /** Sets all fields. */
        public Hop set(int through, int family, long high, long low) {
            port = through;
            af = family;
            hi = high;
            lo = low;
            return this;
        }
    }

    /** Receives addresses. */
    @FunctionalInterface
    interface AddressVisitor {
        /** One address, a neighbour on data-plane interface {@code port}. */
        void visit(int port, int af, long hi, long lo);
    }

    /** {@link #onLink()}. */
    enum OnLink implements NextHops {
        INSTANCE;

        @Override
        public boolean lookup(int af, long hi, long lo, Hop out) {
            out.set(af, hi, lo);
            return true;
        }

        @Override
        public void gateways(AddressVisitor visitor) {
        }
    }
}
