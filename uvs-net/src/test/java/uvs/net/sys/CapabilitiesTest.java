package uvs.net.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    private static String status(String capEff) {
        return "Name:\tjava\nUmask:\t0022\nCapInh:\t0000000000000000\nCapPrm:\t" + capEff + "\nCapEff:\t" + capEff
                + "\nCapBnd:\t000001ffffffffff\n";
    }

    @Test
    void shouldAcceptFullRootSet() {
        Capabilities caps = Capabilities.parse(status("000001ffffffffff"));
        assertThat(caps.has(Capabilities.CAP_NET_RAW)).isTrue();
        assertThatCode(() -> caps.requireNetAdmin("uvsd --interface eth0")).doesNotThrowAnyException();
    }

    @Test
    void shouldNameOnlyTheMissingCapability() {
        // 0x1000 = bit 12 = CAP_NET_ADMIN only
        assertThatThrownBy(() -> Capabilities.parse(status("0000000000001000")).requireNetAdmin("uvsd --interface eth0"))
                .isInstanceOf(MissingCapabilityException.class)
                .hasMessage("uvsd --interface eth0 needs CAP_NET_RAW and CAP_NET_ADMIN (run as root or grant them"
                        + " with setcap); missing: CAP_NET_RAW");
    }

    @Test
    void shouldNameBothWhenNoneHeld() {
        assertThatThrownBy(() -> Capabilities.parse(status("0000000000000000")).requireNetAdmin("uvsd"))
                .hasMessageEndingWith("missing: CAP_NET_RAW, CAP_NET_ADMIN");
    }

    @Test
    void shouldAcceptOnlyNetRawAndNetAdmin() {
        // 0x3000 = bits 12 and 13
        assertThatCode(() -> Capabilities.parse(status("0000000000003000")).requireNetAdmin("x"))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRejectStatusWithoutCapEff() {
        assertThatThrownBy(() -> Capabilities.parse("Name:\tjava\n")).hasMessage("no CapEff line in process status");
        assertThatThrownBy(() -> Capabilities.parse("CapEff:\tzz\n")).hasMessageContaining("'zz'");
    }

    @Test
    void shouldReadThisProcess() {
        assertThat(Capabilities.current().effective()).isEqualTo(Capabilities.current().effective());
    }
}
