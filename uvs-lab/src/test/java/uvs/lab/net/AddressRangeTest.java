package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Consecutive addresses from a literal. */
class AddressRangeTest {
    @Test
    void shouldCarryIntoTheNextOctetAndGroup() throws Exception {
        assertThat(AddressRange.of("10.0.0.254", 3)).containsExactly(InetAddress.getByName("10.0.0.254"),
            InetAddress.getByName("10.0.0.255"), InetAddress.getByName("10.0.1.0"));
        assertThat(AddressRange.of("fd00::ffff", 2)).containsExactly(InetAddress.getByName("fd00::ffff"),
            InetAddress.getByName("fd00::1:0"));
        // the top bit set must not turn into a sign: 255.255.255.254 + 1
        assertThat(AddressRange.of("255.255.255.254", 2)).endsWith(InetAddress.getByName("255.255.255.255"));
    }

    @Test
    void shouldRejectOverflowCountAndNames() {
        assertThatThrownBy(() -> AddressRange.of("255.255.255.255", 2)).hasMessageContaining("pass the end");
        assertThatThrownBy(() -> AddressRange.of("10.0.0.1", 0)).hasMessage("address count 0: expected at least 1");
        assertThatThrownBy(() -> AddressRange.literal("localhost")).hasMessageContaining("address 'localhost'");
        assertThatThrownBy(() -> AddressRange.literal("10.0.0.300")).hasMessageContaining("address '10.0.0.300'");
    }

    @Test
    void shouldPrintIpv6InShortForm() {
        assertThat(AddressRange.text(AddressRange.literal("fd00:100:0:0:0:0:0:163"))).isEqualTo("fd00:100::163");
        assertThat(AddressRange.text(AddressRange.literal("fd00:0:0:1:0:0:0:1"))).isEqualTo("fd00:0:0:1::1");
        assertThat(AddressRange.text(AddressRange.literal("::"))).isEqualTo("::");
        assertThat(AddressRange.text(AddressRange.literal("::1"))).isEqualTo("::1");
        assertThat(AddressRange.text(AddressRange.literal("fd00::"))).isEqualTo("fd00::");
        assertThat(AddressRange.text(AddressRange.literal("1:0:2:0:3:0:4:0"))).isEqualTo("1:0:2:0:3:0:4:0");
        assertThat(AddressRange.text(AddressRange.literal("10.1.2.3"))).isEqualTo("10.1.2.3");
    }
}
