package uvs.net.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;

@Tag("root")
class NetnsTest {
    private static final String INSIDE = "10.200.0.1";

    @Test
    void shouldRunSocketsInsideTheNamespace() throws Exception {
        try (NetnsFixture ns = NetnsFixture.create()) {
            ns.ip("addr", "add", INSIDE + "/32", "dev", "lo");
            InetAddress inside = InetAddress.getByName(INSIDE);
            try (ServerSocket server = Netns.call(ns.name, () -> new ServerSocket(0, 4, inside))) {
                // the host namespace does not have the address at all (checked by binding, no traffic sent)
                assertThatThrownBy(() -> {
                    try (ServerSocket s = new ServerSocket(0, 1, inside)) {
                        s.getLocalPort();
                    }
                }).isInstanceOf(BindException.class);
                boolean connected = Netns.call(ns.name, () -> {
                    try (Socket client = new Socket()) {
                        client.connect(new InetSocketAddress(inside, server.getLocalPort()), 2000);
                        try (Socket accepted = server.accept()) {
                            return accepted.isConnected();
                        }
                    }
                });
                assertThat(connected).isTrue();
            }
        }
    }

    @Test
    void shouldSeeTheNamespacesInterfacesAndRoutes() throws Exception {
        try (NetnsFixture ns = NetnsFixture.create()) {
            ns.vethPair("t0", "t1");
            ns.ip("addr", "add", "10.200.1.1/24", "dev", "t0");
            LinkInfo t0 = Netns.call(ns.name, () -> LinkInfo.of("t0"));
            assertThat(t0.ipv4()).containsExactly(new LinkInfo.Address(IpAddress.parse("10.200.1.1"), 24));
            assertThat(t0.mac()).isNotZero();
            RouteTable.Route route = Netns.call(ns.name, () -> RouteTable.load().lookup(Af.INET, 0, 0x0AC80107L));
            assertThat(route.iface()).isEqualTo("t0"); // 10.200.1.7 is on-link on t0
            assertThat(route.hasGateway()).isFalse();
        }
    }

    @Test
    void shouldRethrowWorkExceptionAndNameMissingNamespace() {
        assertThatThrownBy(() -> Netns.call("uvs-t-io-missing", () -> 1))
                .isInstanceOf(NativeException.class)
                .hasMessage("open(/var/run/netns/uvs-t-io-missing): ENOENT (No such file or directory)");
        try (NetnsFixture ns = NetnsFixture.create()) {
            assertThatThrownBy(() -> Netns.call(ns.name, () -> {
                throw new IOException("boom");
            })).isInstanceOf(IOException.class).hasMessage("boom");
        }
    }
}
