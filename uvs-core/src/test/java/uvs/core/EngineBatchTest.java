package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.ServiceConfig;

/** Burst processing gives exactly the results of packet-by-packet processing. */
class EngineBatchTest {
    private static final long SEED = 0xB47C_4L;
    private final String[] expectedPerPacket = new String[32];

    @Test
    void shouldDecideBurstsExactlyAsSinglePackets() {
        EngineFixture single = fixture();
        EngineFixture burst = fixture();
        SplittableRandom r = new SplittableRandom(SEED);
        int n = 32;
        PacketHeader[] ps = new PacketHeader[n];
        Decision[] ds = new Decision[n];
        for (int i = 0; i < n; i++) {
            ps[i] = new PacketHeader();
            ds[i] = new Decision();
        }
        int[] flagsChoice = {PacketHeader.TCP_SYN, PacketHeader.TCP_ACK, PacketHeader.TCP_FIN | PacketHeader.TCP_ACK,
            PacketHeader.TCP_RST};
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < n; i++) {
                int client = 0x0a00_0000 + r.nextInt(64);
                ps[i].clear().ipv4(IpProto.TCP, client, 1000 + r.nextInt(4), EngineFixture.VIP.v4(), 80);
                ps[i].tcpFlags = flagsChoice[r.nextInt(flagsChoice.length)];
                ps[i].length = 100;
            }
            for (int i = 0; i < n; i++) {
                single.engine.process(ps[i], single.d);
                String expected = single.d.verdict + "/" + single.d.conn + "/" + single.d.dport + "/" + single.d.newConnection;
                expectedPerPacket[i] = expected;
            }
            burst.engine.process(ps, ds, n);
            for (int i = 0; i < n; i++) {
                String got = ds[i].verdict + "/" + ds[i].conn + "/" + ds[i].dport + "/" + ds[i].newConnection;
                assertThat(got).as("round %d packet %d, seed %x", round, i, SEED).isEqualTo(expectedPerPacket[i]);
            }
            single.clock.advanceMillis(500);
            burst.clock.advanceMillis(500);
            single.engine.doWork();
            burst.engine.doWork();
        }
        assertThat(burst.connCount()).isEqualTo(single.connCount());
    }

    private static EngineFixture fixture() {
        EngineFixture f = new EngineFixture();
        f.service(EngineFixture.HTTP, ServiceConfig.persistent("wlc", 60));
        f.addDest(EngineFixture.HTTP, EngineFixture.RS1, 80, 1, ForwardMethod.ROUTE);
        f.addDest(EngineFixture.HTTP, EngineFixture.RS2, 80, 2, ForwardMethod.ROUTE);
        return f;
    }
}
