package uvs.net.sys;

/** AF_XDP constants of {@code linux/if_xdp.h} and the socket layer (x86_64). */
public final class IfXdp {
    /** {@code AF_XDP}. */
    public static final int AF_XDP = 44;
    /** {@code SOL_XDP}. */
    public static final int SOL_XDP = 283;
    /** Socket option: the ring offsets for mmap ({@code struct xdp_mmap_offsets}). */
    public static final int XDP_MMAP_OFFSETS = 1;
    /** Socket option: RX ring size. */
    public static final int XDP_RX_RING = 2;
    /** Socket option: TX ring size. */
    public static final int XDP_TX_RING = 3;
    /** Socket option: register the UMEM ({@code struct xdp_umem_reg}). */
    public static final int XDP_UMEM_REG = 4;
    /** Socket option: fill ring size. */
    public static final int XDP_UMEM_FILL_RING = 5;
    /** Socket option: completion ring size. */
    public static final int XDP_UMEM_COMPLETION_RING = 6;
    /** Socket option: {@code struct xdp_statistics}. */
    public static final int XDP_STATISTICS = 7;
    /** Socket option: {@code struct xdp_options} (flags: zero-copy in use). */
    public static final int XDP_OPTIONS = 8;
    /** {@code XDP_OPTIONS_ZEROCOPY}. */
    public static final int XDP_OPTIONS_ZEROCOPY = 1;

    /** Bind flag: force copy mode. */
    public static final short XDP_COPY = 2;
    /** Bind flag: force zero-copy mode. */
    public static final short XDP_ZEROCOPY = 4;
    /** Bind flag: the kernel says through the rings' flags when it must be woken. */
    public static final short XDP_USE_NEED_WAKEUP = 8;
    /** Ring flag: wake the kernel (poll for the fill ring, sendto for the TX ring). */
    public static final int XDP_RING_NEED_WAKEUP = 1;

    /** mmap offset of the RX ring. */
    public static final long XDP_PGOFF_RX_RING = 0;
    /** mmap offset of the TX ring. */
    public static final long XDP_PGOFF_TX_RING = 0x80000000L;
    /** mmap offset of the fill ring. */
    public static final long XDP_UMEM_PGOFF_FILL_RING = 0x100000000L;
    /** mmap offset of the completion ring. */
    public static final long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000L;

    /** Size of {@code struct xdp_mmap_offsets}: rx, tx, fill, completion, each {producer, consumer, desc, flags}. */
    public static final int MMAP_OFFSETS_SIZE = 128;
    /** Size of {@code struct xdp_desc} {u64 addr; u32 len; u32 options}. */
    public static final int DESC_SIZE = 16;
    /** Size of {@code struct xdp_umem_reg} as first defined {addr, len, chunk_size, headroom}. */
    public static final int UMEM_REG_SIZE = 24;
    /** Size of {@code struct sockaddr_xdp}. */
    public static final int SOCKADDR_XDP_SIZE = 16;
    /** Size of {@code struct xdp_statistics} (six u64). */
    public static final int STATISTICS_SIZE = 48;

    /** {@code MAP_PRIVATE}. */
    public static final int MAP_PRIVATE = 2;
    /** {@code MAP_ANONYMOUS}. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** {@code MAP_POPULATE}. */
    public static final int MAP_POPULATE = 0x8000;

    private IfXdp() {
    }
}
