package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Status rows from {@code ip -br addr} output. */
class LabStatusTest {
    @Test
    void shouldDropLinkLocalAndBareLoopbackAndCountClientSources() {
        String brief = """
            lo               UNKNOWN        127.0.0.1/8 ::1/128
            eth0@if5         UP             10.100.0.2/24 10.100.0.100/24 10.100.0.101/24 fd00:100::101/64 \
            fd00:100::2/64 fe80::1/64
            """;
        assertThat(LabStatus.addressRows(brief)).containsExactly(
            new String[] {"eth0", "UP 10.100.0.2/24 fd00:100::2/64 (+3 client sources)"});
    }

    @Test
    void shouldKeepLoopbackWithVipAndInterfaceWithoutAddresses() {
        String brief = """
            lo               UNKNOWN        127.0.0.1/8 10.100.2.100/32 fd00:100:2::100/128 ::1/128
            rs1@if2          UP
            """;
        assertThat(LabStatus.addressRows(brief)).containsExactly(
            new String[] {"lo", "UNKNOWN 10.100.2.100/32 fd00:100:2::100/128"}, new String[] {"rs1", "UP"});
    }
}
