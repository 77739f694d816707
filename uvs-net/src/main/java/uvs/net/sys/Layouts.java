package uvs.net.sys;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.StructLayout;

/**
 * x86_64 Linux structure layouts and field offsets used at the kernel boundary (sizes checked by tests against
 * the C sizes: sockaddr_ll 20, iovec 16, msghdr 56, mmsghdr 64, tpacket_req3 28, pollfd 8).
 */
public final class Layouts {
    /** {@code struct sockaddr_ll} (link-level address of an AF_PACKET socket). */
    public static final StructLayout SOCKADDR_LL = structLayout(
            JAVA_SHORT.withName("sll_family"),
            JAVA_SHORT.withName("sll_protocol"),
            JAVA_INT.withName("sll_ifindex"),
            JAVA_SHORT.withName("sll_hatype"),
            JAVA_BYTE.withName("sll_pkttype"),
            JAVA_BYTE.withName("sll_halen"),
            sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));
    /** Offset of {@code sll_family}. */
    public static final long SLL_FAMILY = 0;
    /** Offset of {@code sll_protocol} (network byte order). */
    public static final long SLL_PROTOCOL = 2;
    /** Offset of {@code sll_ifindex}. */
    public static final long SLL_IFINDEX = 4;
    /** Offset of {@code sll_pkttype}. */
    public static final long SLL_PKTTYPE = 10;

    /** {@code struct iovec}. */
    public static final StructLayout IOVEC = structLayout(ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    /** Offset of {@code iov_base}. */
    public static final long IOV_BASE = 0;
    /** Offset of {@code iov_len}. */
    public static final long IOV_LEN = 8;

    /** {@code struct msghdr}. */
    public static final StructLayout MSGHDR = structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            paddingLayout(4));
    /** Offset of {@code msg_iov}. */
    public static final long MSG_IOV = 16;
    /** Offset of {@code msg_iovlen}. */
    public static final long MSG_IOVLEN = 24;

    /** {@code struct mmsghdr}: a msghdr and the byte count the kernel sent for it. */
    public static final StructLayout MMSGHDR = structLayout(MSGHDR.withName("msg_hdr"), JAVA_INT.withName("msg_len"),
            paddingLayout(4));
    /** Offset of {@code msg_len}. */
    public static final long MMSG_LEN = 56;

    /** {@code struct tpacket_req3}: the TPACKET_V3 ring request. */
    public static final StructLayout TPACKET_REQ3 = structLayout(
            JAVA_INT.withName("tp_block_size"),
            JAVA_INT.withName("tp_block_nr"),
            JAVA_INT.withName("tp_frame_size"),
            JAVA_INT.withName("tp_frame_nr"),
            JAVA_INT.withName("tp_retire_blk_tov"),
            JAVA_INT.withName("tp_sizeof_priv"),
            JAVA_INT.withName("tp_feature_req_word"));

    /** {@code struct tpacket_stats_v3}: packets, drops, freeze count (reading resets them). */
    public static final StructLayout TPACKET_STATS_V3 = structLayout(
            JAVA_INT.withName("tp_packets"), JAVA_INT.withName("tp_drops"), JAVA_INT.withName("tp_freeze_q_cnt"));
    /** Offset of {@code tp_drops}. */
    public static final long TP_STATS_DROPS = 4;

    /** {@code struct pollfd}. */
    public static final StructLayout POLLFD = structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
    /** Offset of {@code revents}. */
    public static final long POLLFD_REVENTS = 6;

    /** {@code struct sock_fprog}: instruction count and pointer to {@code struct sock_filter[]}. */
    public static final StructLayout SOCK_FPROG = structLayout(
            JAVA_SHORT.withName("len"), paddingLayout(6), ADDRESS.withName("filter"));
    /** Size of one {@code struct sock_filter} (u16 code, u8 jt, u8 jf, u32 k). */
    public static final long SOCK_FILTER_SIZE = 8;

    /** {@code tpacket_block_desc.hdr.bh1.block_status}. */
    public static final long BLOCK_STATUS = 8;
    /** {@code tpacket_block_desc.hdr.bh1.num_pkts}. */
    public static final long BLOCK_NUM_PKTS = 12;
    /** {@code tpacket_block_desc.hdr.bh1.offset_to_first_pkt}. */
    public static final long BLOCK_FIRST_PKT = 16;

    /** {@code tpacket3_hdr.tp_next_offset}. */
    public static final long TP3_NEXT_OFFSET = 0;
    /** {@code tpacket3_hdr.tp_snaplen}. */
    public static final long TP3_SNAPLEN = 12;
    /** {@code tpacket3_hdr.tp_len}. */
    public static final long TP3_LEN = 16;
    /** {@code tpacket3_hdr.tp_mac}. */
    public static final long TP3_MAC = 24;
    /** tpacket3_hdr.tp_status. */
    public static final long TP3_STATUS = 20;
    /**
     * Offset of the sockaddr_ll that follows each tpacket3_hdr: TPACKET_ALIGN(sizeof(struct tpacket3_hdr) = 48).
     */
    public static final long TP3_SOCKADDR_LL = 48;

    private Layouts() {
    }
}
