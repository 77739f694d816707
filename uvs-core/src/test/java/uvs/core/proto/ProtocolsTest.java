package uvs.core.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uvs.core.PacketHeader;
import uvs.core.net.IpProto;

class ProtocolsTest {
    private static final long SEED = 0x5EED_1234L;

    @Test
    void shouldFindHandlerByProtocolNumber() {
        assertThat(Protocols.get(6)).isSameAs(Protocols.TCP).isInstanceOf(TcpProtocol.class);
        assertThat(Protocols.get(17)).isSameAs(Protocols.UDP).isInstanceOf(UdpProtocol.class);
        assertThat(Protocols.get(132)).isSameAs(Protocols.SCTP).isInstanceOf(SctpProtocol.class);
        assertThat(Protocols.get(6).protocol()).isEqualTo(6);
        assertThat(Protocols.get(17).protocol()).isEqualTo(17);
        assertThat(Protocols.get(132).protocol()).isEqualTo(132);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 41, 47, 50, 51, 58, 136, 255, 256, -1})
    void shouldHaveNoHandlerForOtherProtocols(int protocol) {
        assertThat(Protocols.get(protocol)).isNull();
    }

    @Test
    void shouldRunPerPacketLookupsWithoutAllocating() {
        // per-packet work of the engine over a seeded random mix of packets, measured after a warm-up
        SplittableRandom random = new SplittableRandom(SEED);
        int n = 1024;
        PacketHeader[] packets = new PacketHeader[n];
        int[] protocols = {IpProto.TCP, IpProto.UDP, IpProto.SCTP};
        for (int i = 0; i < n; i++) {
            PacketHeader p = new PacketHeader();
            p.protocol = protocols[random.nextInt(3)];
            p.tcpFlags = random.nextInt(256);
            p.sctpChunkType = random.nextInt(256);
            p.sctpNextChunkType = random.nextInt(2) == 0 ? -1 : random.nextInt(256);
            p.direction = random.nextInt(2);
            packets[i] = p;
        }
        ProtocolTimeouts timeouts = new ProtocolTimeouts();
        int[] states = new int[n];
        ThreadMXBean threads =
            (ThreadMXBean) ManagementFactory.getThreadMXBean();

        long sum = runPackets(packets, states, timeouts, 200);
        long before = threads.getCurrentThreadAllocatedBytes();
        sum += runPackets(packets, states, timeouts, 200);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sum).isNotZero();
        // 204 800 packets: a per-packet allocation would show as megabytes; a few bytes are the JVM's own
        assertThat(allocated).as("bytes allocated, seed %x", SEED).isLessThan(1024);
    }

    private static long runPackets(PacketHeader[] packets, int[] states, ProtocolTimeouts timeouts, int rounds) {
        long sum = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < packets.length; i++) {
                PacketHeader p = packets[i];
                ProtocolHandler h = Protocols.get(p.protocol);
                int direction = (r & 1) == 0 ? p.direction : ConnDirection.INPUT_ONLY;
                int next = h.nextState(states[i], direction, h.event(p), (r & 2) != 0);
                if (h.isActiveState(next) || h.isSyncState(next) || h.assuresTemplate(next, p.direction)) {
                    sum++;
                }
                if (h.canCreate(p, (r & 4) != 0)) {
                    sum++;
                }
                sum += timeouts.timeout(p.protocol, next) + h.stateName(next).length();
                states[i] = next;
            }
        }
        return sum;
    }
}
