package uvs.core.proto;

import uvs.core.net.IpProto;
import uvs.time.Jiffies;

/**
 * One engine's conn timeout per protocol state (the kernel's per-netns timeout_table), in jiffies. A conn's
 * timeout is re-read from here on every packet, so {@code ipvsadm --set} reaches existing conns at their next
 * packet. Not thread-safe: change it from the engine's thread.
 */
public final class ProtocolTimeouts {
    /** Largest value {@code ipvsadm --set} accepts, in seconds (31 days). */
    public static final int MAX_SET_SECONDS = 31 * 24 * 3600;

    private final int[] tcp = new int[TcpState.COUNT];
    private final int[] sctp = new int[SctpState.COUNT];
    private final int[] udp = new int[1];

    /** Timeouts with the kernel defaults. */
    public ProtocolTimeouts() {
        tcp[TcpState.NONE] = Jiffies.fromSeconds(2);
        tcp[TcpState.ESTABLISHED] = Jiffies.fromSeconds(15 * 60);
        tcp[TcpState.SYN_SENT] = Jiffies.fromSeconds(2 * 60);
        tcp[TcpState.SYN_RECV] = Jiffies.fromSeconds(60);
        tcp[TcpState.FIN_WAIT] = Jiffies.fromSeconds(2 * 60);
        tcp[TcpState.TIME_WAIT] = Jiffies.fromSeconds(2 * 60);
        tcp[TcpState.CLOSE] = Jiffies.fromSeconds(10);
        tcp[TcpState.CLOSE_WAIT] = Jiffies.fromSeconds(60);
        tcp[TcpState.LAST_ACK] = Jiffies.fromSeconds(30);
        tcp[TcpState.LISTEN] = Jiffies.fromSeconds(2 * 60);
        tcp[TcpState.SYNACK] = Jiffies.fromSeconds(120);

        // SCTP handshake and shutdown states wait one maximum RTO (60 s) plus 1 s
        int maxRto = Jiffies.fromSeconds(60 + 1);
        for (int s = 0; s < SctpState.COUNT; s++) {
            sctp[s] = maxRto;
        }
        sctp[SctpState.NONE] = Jiffies.fromSeconds(2);
        // initial RTO (3 s) plus 1 s: a dropped INIT or an INIT rejected with ABORT should not hold the entry long
        sctp[SctpState.INIT1] = Jiffies.fromSeconds(3 + 1);
        sctp[SctpState.REJECTED] = Jiffies.fromSeconds(3 + 1);
        sctp[SctpState.ESTABLISHED] = Jiffies.fromSeconds(15 * 60);

        udp[UdpProtocol.NORMAL] = Jiffies.fromSeconds(5 * 60);
    }

    /**
     * Timeout of a state, in jiffies: one array read.
     *
     * @param protocol 6, 17 or 132
     * @param state    a state of that protocol
     * @return the timeout in jiffies
     */
    public int timeout(int protocol, int state) {
        return switch (protocol) {
            case IpProto.TCP -> tcp[state];
            case IpProto.UDP -> udp[state];
            case IpProto.SCTP -> sctp[state];
            default -> throw new IllegalArgumentException("no timeout table for protocol " + protocol);
        };
    }

    /**
     * {@code ipvsadm --set tcp tcpfin udp}: the TCP ESTABLISHED, TCP FIN_WAIT and UDP timeouts in seconds; 0
     * leaves a value unchanged. If any value is out of range nothing changes.
     *
     * @param tcpSeconds    TCP ESTABLISHED timeout, 0..{@link #MAX_SET_SECONDS}
     * @param tcpfinSeconds TCP FIN_WAIT timeout, 0..{@link #MAX_SET_SECONDS}
     * @param udpSeconds    UDP timeout, 0..{@link #MAX_SET_SECONDS}
     * @throws IllegalArgumentException naming the first value out of range
     */
    public void setTcpTcpfinUdp(int tcpSeconds, int tcpfinSeconds, int udpSeconds) {
        checkSetRange("tcp", tcpSeconds);
        checkSetRange("tcpfin", tcpfinSeconds);
        checkSetRange("udp", udpSeconds);
        if (tcpSeconds != 0) {
            tcp[TcpState.ESTABLISHED] = Jiffies.fromSeconds(tcpSeconds);
        }
        if (tcpfinSeconds != 0) {
            tcp[TcpState.FIN_WAIT] = Jiffies.fromSeconds(tcpfinSeconds);
        }
        if (udpSeconds != 0) {
            udp[UdpProtocol.NORMAL] = Jiffies.fromSeconds(udpSeconds);
        }
    }

    /** Current {tcp, tcpfin, udp} in whole seconds, as {@code ipvsadm -L --timeout} prints them. */
    public int[] tcpTcpfinUdpSeconds() {
        return new int[] {
            Jiffies.toSeconds(tcp[TcpState.ESTABLISHED]),
            Jiffies.toSeconds(tcp[TcpState.FIN_WAIT]),
            Jiffies.toSeconds(udp[UdpProtocol.NORMAL]),
        };
    }

    private static void checkSetRange(String name, int seconds) {
        if (seconds < 0 || seconds > MAX_SET_SECONDS) {
            throw new IllegalArgumentException(name + " timeout " + seconds + " out of range 0.."
                + MAX_SET_SECONDS + " seconds");
        }
    }
}
