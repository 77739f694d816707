package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.conn.ConnFlags;

class BoundXmitTest {
    @Test
    void shouldBindEachForwardingMethodToItsTransmit() {
        BoundXmit[] t = BoundXmit.table(null);
        assertThat(t).hasSize(ConnFlags.FWD_MASK + 1);
        assertThat(t[ConnFlags.MASQ]).isInstanceOf(BoundXmit.Nat.class);
        assertThat(t[ConnFlags.LOCALNODE]).isInstanceOf(BoundXmit.Local.class);
        assertThat(t[ConnFlags.TUNNEL]).isInstanceOf(BoundXmit.Tunnel.class);
        assertThat(t[ConnFlags.DROUTE]).isInstanceOf(BoundXmit.DirectRoute.class);
        assertThat(t[ConnFlags.BYPASS]).as("bypass routes directly").isInstanceOf(BoundXmit.DirectRoute.class);
    }

    @Test
    void shouldCheckTheMtuBeforeTheRewriteOnlyForMethodsThatKeepTheSize() {
        BoundXmit[] t = BoundXmit.table(null);
        assertThat(t[ConnFlags.MASQ].keepsSize()).isTrue();
        assertThat(t[ConnFlags.DROUTE].keepsSize()).isTrue();
        assertThat(t[ConnFlags.TUNNEL].keepsSize()).as("the tunnel checks what it builds").isFalse();
        assertThat(t[ConnFlags.LOCALNODE].keepsSize()).isFalse();
    }
}
