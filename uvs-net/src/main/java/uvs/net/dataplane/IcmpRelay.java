package uvs.net.dataplane;

import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.PacketHeader;
import uvs.core.Verdict;

/**
 * ICMP errors about connections (ip_vs_in_icmp / ip_vs_out_icmp): finds the connection the quoted packet
 * belongs to and relays the error the way that connection's packets go — toward its real server by the
 * connection's bound transmit, or, from a NAT real server, back to the client translated. An error whose
 * connection lives on another shard is handed to that shard (the kernel steered it by its outer addresses).
 * Called by the receive loop and the inbox; it never answers an error with another.
 */
final class IcmpRelay {
    private final Engine engine;
    private final ShardHandOff handOff;
    private final Forwarder forwarder;
    private final Decision decision = new Decision();

    IcmpRelay(Engine engine, ShardHandOff handOff, Forwarder forwarder) {
        this.engine = engine;
        this.handOff = handOff;
        this.forwarder = forwarder;
    }

    /** The ICMP error at {@code address} ({@code b} views it; {@code embedded} is the quoted packet's header). */
    void relay(long address, int length, UnsafeBuffer b, uvs.net.packet.Frame f, PacketHeader embedded, int port) {
        // a quoted packet that went to a NAT real server was sent by the client: the error comes from its side
        int dir = engine.isNatRealServer(embedded.af, embedded.protocol, embedded.dstHi, embedded.dstLo,
            embedded.dstPort) ? PacketHeader.DIR_OUTPUT : PacketHeader.DIR_INPUT;
        if (handOff.passQuoted(embedded, dir, b, length, port)) {
            return;
        }
        Decision d = engine.processIcmpError(embedded, dir, decision);
        if (d.verdict == Verdict.FORWARD) {
            forwarder.relayForward(b, address, length, f, d);
        } else if (d.verdict == Verdict.FORWARD_REPLY) {
            forwarder.relayReply(address, length, b, f, d);
        }
    }
}
