package uvs.core.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import uvs.core.PacketHeader;
import uvs.core.net.IpProto;

/** Call-ID extraction of the SIP persistence engine. */
class SipPersistenceEngineTest {
    private final SipPersistenceEngine sip = new SipPersistenceEngine();
    private final byte[] out = new byte[PersistenceEngine.MAX_DATA];

    private String extract(int proto, String message) {
        PacketHeader p = new PacketHeader();
        p.protocol = proto;
        p.payload = ("xx" + message).getBytes(StandardCharsets.US_ASCII);
        p.payloadOffset = 2;
        p.payloadLength = p.payload.length - 2;
        int n = sip.extract(p, out);
        return n < 0 ? null : new String(out, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void shouldTakeCallIdValue() {
        assertThat(extract(IpProto.UDP, "INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\nCall-ID: a84b4c76e66710@pc33\r\n\r\n"))
            .isEqualTo("a84b4c76e66710@pc33");
    }

    @Test
    void shouldAcceptCompactFormCaseAndBareLf() {
        assertThat(extract(IpProto.UDP, "BYE sip:x SIP/2.0\ni :  abc123 \n")).isEqualTo("abc123");
        assertThat(extract(IpProto.UDP, "BYE sip:x SIP/2.0\r\ncall-id:Q\r\n")).isEqualTo("Q");
    }

    @Test
    void shouldRefuseMissingUnterminatedOversizeOrNonUdp() {
        assertThat(extract(IpProto.UDP, "OPTIONS sip:x SIP/2.0\r\nVia: y\r\n\r\n")).isNull();
        assertThat(extract(IpProto.UDP, "OPTIONS sip:x SIP/2.0\r\nCall-ID: abc")).isNull();
        assertThat(extract(IpProto.UDP, "OPTIONS sip:x SIP/2.0\r\nCall-ID: " + "x".repeat(256) + "\r\n")).isNull();
        assertThat(extract(IpProto.UDP, "OPTIONS sip:x SIP/2.0\r\nCall-ID: " + "x".repeat(255) + "\r\n")).hasSize(255);
        assertThat(extract(IpProto.TCP, "OPTIONS sip:x SIP/2.0\r\nCall-ID: abc\r\n")).isNull();
        // a header whose name only starts like Call-ID is not it
        assertThat(extract(IpProto.UDP, "OPTIONS sip:x SIP/2.0\r\nInfo: abc\r\n")).isNull();
    }
}
