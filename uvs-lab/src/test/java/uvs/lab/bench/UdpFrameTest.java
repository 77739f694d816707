package uvs.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import uvs.net.packet.Ethernet;

class UdpFrameTest {
    private static final long DST_MAC = 0x02_00_00_00_00_01L;
    private static final long SRC_MAC = 0x02_00_00_00_00_02L;

    @Test
    void shouldBuildMinimumFrameWithHandComputedChecksums() {
        byte[] f = UdpFrame.build(DST_MAC, SRC_MAC, UdpFrame.parseIpv4("10.100.0.100"),
            UdpFrame.parseIpv4("10.100.2.100"), 10000, 9999, 60);

        // IPv4 header sum by hand: 4500+002e+0000+4000+4011+0a64+0064+0a64+0264 = dccf, ~dccf = 2330.
        // UDP sum by hand: pseudo header 0a64+0064+0a64+0264+0011+001a, then 2710+270f+001a+0000 and 18 zero
        // bytes = 65f4, ~65f4 = 9a0b.
        String expected = "020000000001" + "020000000002" + "0800"
            + "4500002e00004000401123300a6400640a640264"
            + "2710270f001a9a0b" + "00".repeat(18);
        assertThat(HexFormat.of().formatHex(f)).isEqualTo(expected);
    }

    @Test
    void shouldSendZeroUdpChecksumAsAllOnes() {
        // find a source port whose checksum comes out 0: the UDP sum without the source port is fixed, so the
        // port that makes the folded sum ffff is ffff minus that sum (ones' complement)
        int src = UdpFrame.parseIpv4("10.0.0.1");
        int dst = UdpFrame.parseIpv4("10.0.0.2");
        // 0a00+0001+0a00+0002+0011+0008 (pseudo) + 0007 (dst port) + 0008 (length) = 142b; port = ffff-142b = ebd4
        byte[] f = UdpFrame.build(DST_MAC, SRC_MAC, src, dst, 0xebd4, 7, 42);
        assertThat(f[40] & 0xff).isEqualTo(0xff);
        assertThat(f[41] & 0xff).isEqualTo(0xff);
    }

    @Test
    void shouldRejectFrameShorterThanItsHeaders() {
        assertThatThrownBy(() -> UdpFrame.build(DST_MAC, SRC_MAC, 1, 2, 3, 4, 41))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frame length 41");
    }

    @Test
    void shouldRejectPortOutOfRange() {
        assertThatThrownBy(() -> UdpFrame.build(DST_MAC, SRC_MAC, 1, 2, 65536, 4, 60))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
    }

    @Test
    void shouldParseMacAndIpv4() {
        assertThat(Ethernet.parseMac("de:ad:be:ef:00:1\n")).isEqualTo(0xdead_beef_0001L);
        assertThat(UdpFrame.parseIpv4("10.100.2.100")).isEqualTo(0x0a64_0264);
        assertThat(UdpFrame.parseIpv4("255.255.255.255")).isEqualTo(-1);
    }

    @Test
    void shouldNameTheProblemOfBadAddresses() {
        assertThatThrownBy(() -> Ethernet.parseMac("de:ad:be:ef:00"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("six hex bytes");
        assertThatThrownBy(() -> Ethernet.parseMac("de:ad:be:ef:00:zz"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad byte 'zz'");
        assertThatThrownBy(() -> UdpFrame.parseIpv4("10.0.0.256"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid address: 10.0.0.256");
        assertThatThrownBy(() -> UdpFrame.parseIpv4("10.0.0"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid address: 10.0.0");
        assertThatThrownBy(() -> UdpFrame.parseIpv4("fd00::1"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("not an IPv4 address: fd00::1");
    }

    @Test
    void shouldSpreadPoolFlowsOverSourcesAndPorts() {
        var frames = BlasterMain.frames(DST_MAC, SRC_MAC, UdpFrame.parseIpv4("10.100.0.100"), 100,
            UdpFrame.parseIpv4("10.100.2.100"), 9999, 250, 60);

        assertThat(frames).hasSize(250);
        // flow 123: source 10.100.0.(100 + 123 mod 100) = .123, port 10000 + 123 = 10123 (0x278b)
        byte[] f = frames.get(123);
        assertThat(HexFormat.of().formatHex(f, 26, 30)).isEqualTo("0a64007b");
        assertThat(HexFormat.of().formatHex(f, 34, 36)).isEqualTo("278b");
    }
}
