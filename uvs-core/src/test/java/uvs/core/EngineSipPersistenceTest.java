package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import uvs.core.conn.ConnFlags;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;

/** Persistence with the SIP engine: one template per client and Call-ID. */
class EngineSipPersistenceTest extends EngineFixture {
    private static final ServiceKey SIP = ServiceKey.of(IpProto.UDP, VIP, 5060);

    private Decision sip(String client, int port, String callId) {
        pkt.clear().ipv4(IpProto.UDP, ip(client), port, VIP.v4(), 5060);
        pkt.length = 400;
        String msg = "INVITE sip:bob@example.com SIP/2.0\r\n" + (callId == null ? "" : "Call-ID: " + callId + "\r\n") + "\r\n";
        pkt.payload = msg.getBytes(StandardCharsets.US_ASCII);
        pkt.payloadOffset = 0;
        pkt.payloadLength = pkt.payload.length;
        return engine.process(pkt, d);
    }

    @Test
    void shouldKeepOneTemplatePerCallId() {
        service(SIP, ServiceConfig.persistent("wlc", 360).withPe("sip"));
        RealServer rs1 = addDest(SIP, RS1, 5060, 1, ForwardMethod.ROUTE);
        RealServer rs2 = addDest(SIP, RS2, 5060, 1, ForwardMethod.ROUTE);
        sip("10.0.0.1", 5060, "call-a");
        assertThat(d.dest).isSameAs(rs2);
        // same client, another call: a new template, scheduled by wlc (RS2 has one inactive conn)
        sip("10.0.0.1", 5062, "call-b");
        assertThat(d.dest).isSameAs(rs1);
        // the first call again from another port: its template still says RS2
        sip("10.0.0.1", 5064, "call-a");
        assertThat(d.dest).isSameAs(rs2);
        assertThat(rs1.persistConns() + rs2.persistConns()).isEqualTo(2);
        int ct = t4().lookupTemplate(IpProto.UDP, 0, ip("10.0.0.1") & 0xffff_ffffL, 0, VIP.lo(), 5060);
        byte[] out = new byte[255];
        int n = engine.peData(t4(), ct, out);
        assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isIn("call-a", "call-b");
        assertThat(engine.peName(t4(), ct)).isEqualTo("sip");
    }

    @Test
    void shouldDropPacketWithoutCallId() {
        service(SIP, ServiceConfig.persistent("wlc", 360).withPe("sip"));
        addDest(SIP, RS1, 5060, 1, ForwardMethod.ROUTE);
        assertThat(sip("10.0.0.1", 5060, null).verdict).isEqualTo(Verdict.DROP);
        assertThat(d.dropReason).isEqualTo(DropReason.PE_NO_KEY);
        assertThat(connCount()).isZero();
    }

    @Test
    void shouldApplySyncedTemplatesWithTheirCallIds() {
        service(SIP, ServiceConfig.persistent("wlc", 360).withPe("sip"));
        RealServer rs1 = addDest(SIP, RS1, 5060, 1, ForwardMethod.ROUTE);
        RealServer rs2 = addDest(SIP, RS2, 5060, 1, ForwardMethod.ROUTE);
        SyncUpdate u = new SyncUpdate();
        u.protocol = IpProto.UDP;
        u.caddrLo = ip("10.0.0.1") & 0xffff_ffffL;
        u.vaddrLo = VIP.lo();
        u.vport = 5060;
        u.dport = 5060;
        u.flags = ConnFlags.TEMPLATE | ConnFlags.DROUTE;
        u.timeoutSeconds = 360;
        for (String[] call : new String[][] {{"call-a", "1"}, {"call-b", "2"}}) {
            u.daddrLo = (call[1].equals("1") ? RS1 : RS2).lo();
            byte[] id = call[0].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(id, 0, u.peData, 0, id.length);
            u.peDataLength = id.length;
            assertThat(engine.applySync(u)).isEqualTo(SyncUpdate.Result.CREATED);
        }
        assertThat(rs1.persistConns()).isEqualTo(1);
        assertThat(rs2.persistConns()).isEqualTo(1);
        sip("10.0.0.1", 6000, "call-a");
        assertThat(d.dest).isSameAs(rs1);
        sip("10.0.0.1", 6002, "call-b");
        assertThat(d.dest).isSameAs(rs2);
    }
}
