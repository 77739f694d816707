package uvs.core.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.PacketHeader;
import uvs.core.net.IpProto;

class UdpProtocolTest {
    private final UdpProtocol udp = Protocols.UDP;
    private final PacketHeader packet = new PacketHeader();

    @Test
    void shouldHaveOneStateNamedUdp() {
        // spec §5.4: single state 0, name "UDP"
        assertThat(udp.stateCount()).isEqualTo(1);
        assertThat(udp.stateName(0)).isEqualTo("UDP");
        assertThat(udp.stateName(1)).isEqualTo("ERR!");
        assertThat(udp.protocol()).isEqualTo(IpProto.UDP);
    }

    @Test
    void shouldStayInItsOnlyStateWhateverThePacket() {
        packet.tcpFlags = PacketHeader.TCP_RST;
        packet.sctpChunkType = SctpChunkType.ABORT;
        int event = udp.event(packet);

        for (int direction = 0; direction < 3; direction++) {
            assertThat(udp.nextState(0, direction, event, false)).isZero();
            assertThat(udp.nextState(0, direction, event, true)).isZero();
        }
    }

    @Test
    void shouldCreateConnOnEveryPacket() {
        // spec §5.3: every UDP packet schedules, no flag checks
        packet.tcpFlags = PacketHeader.TCP_RST;
        assertThat(udp.canCreate(packet, false)).isTrue();
        assertThat(udp.canCreate(packet, true)).isTrue();
    }

    @Test
    void shouldNeverCountAsActive() {
        // spec §5.4: UDP conns always count in inactconns
        assertThat(udp.isActiveState(0)).isFalse();
    }

    @Test
    void shouldPassSyncFilterInItsOnlyState() {
        // spec §2.3 step 1: UDP has no state filter
        assertThat(udp.isSyncState(0)).isTrue();
        assertThat(udp.isSyncState(1)).isFalse();
    }

    @Test
    void shouldAssureTemplateOnlyOnReplies() {
        // spec §5.0: a UDP conn that sees an OUTPUT packet assures its template
        assertThat(udp.assuresTemplate(0, ConnDirection.OUTPUT)).isTrue();
        assertThat(udp.assuresTemplate(0, ConnDirection.INPUT)).isFalse();
        assertThat(udp.assuresTemplate(0, ConnDirection.INPUT_ONLY)).isFalse();
    }
}
