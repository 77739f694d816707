package uvs.net.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.net.bpf.FastPathEntry;
import uvs.net.bpf.FastPathMap;
import uvs.net.bpf.TcFastPath;
import uvs.net.packet.Ethernet;
import uvs.net.sys.Netns;
import uvs.net.sys.NetnsFixture;

/**
 * The fast path at tcx on skbs whose transport checksum a sender on this host left to offload
 * (CHECKSUM_PARTIAL: the field holds only the pseudo-header sum), as a client or real server in a container
 * sends them (root). Three namespaces: a client (10.0.0.1, transmit checksum offload on, as a veth has by
 * default), a two-armed NAT director with the TC program on both arms and the kernel not forwarding, and a real
 * server (10.1.0.2, offload on) echoing UDP. The director's arms have transmit checksum offload off, so the
 * kernel finishes each redirected skb's checksum in software from the pseudo-header sum the program left; the
 * receiving kernels then verify it in full. A pseudo-header update done as for a complete checksum would
 * come out wrong, and the echo would be dropped as a checksum error.
 */
@Tag("root")
class TcFastPathChecksumTest {
    private static final int CLIENT = 0x0a000001;
    private static final int VIP = 0x0a000064;
    private static final int RS = 0x0a010002;
    private static final long NET6 = 0xfd00000000000000L;
    private static final long CLIENT6 = 0x1;
    private static final long VIP6 = 0x64;
    private static final long RS_NET6 = 0xfd00000000000001L;
    private static final long RS6 = 0x2;
    private static final int CLIENT_PORT = 40000;
    private static final int VPORT = 53;
    private static final int RPORT = 5353;

    private NetnsFixture client;
    private NetnsFixture director;
    private NetnsFixture server;
    private FastPathMap flows;
    private TcFastPath tc;

    @BeforeEach
    void setUp() throws Exception {
        try {
            client = NetnsFixture.create();
            director = NetnsFixture.create();
            server = NetnsFixture.create();
            director.ip("link", "add", "d0", "type", "veth", "peer", "name", "c0", "netns", client.name);
            director.ip("link", "add", "d1", "type", "veth", "peer", "name", "s0", "netns", server.name);
            director.exec("sysctl", "-qw", "net.ipv4.ip_forward=0", "net.ipv6.conf.all.forwarding=0");
            long d0Mac = arm("d0", "10.0.0.254/24", "fd00::fe/64");
            long d1Mac = arm("d1", "10.1.0.254/24", "fd00:0:0:1::fe/64");
            long clientMac = host(client, "c0", "10.0.0.1/24", "fd00::1/64");
            long serverMac = host(server, "s0", "10.1.0.2/24", "fd00:0:0:1::2/64");
            // the client reaches the VIPs on its link through the director's d0
            for (String vip : new String[] {"10.0.0.100", "fd00::64"}) {
                client.ip("neigh", "replace", vip, "lladdr", Ethernet.macText(d0Mac), "dev", "c0", "nud", "permanent");
            }
            // the real server's way back to the client is the director's d1
            server.ip("route", "add", "10.0.0.0/24", "via", "10.1.0.254");
            server.ip("-6", "route", "add", "fd00::/64", "via", "fd00:0:0:1::fe");
            for (String gw : new String[] {"10.1.0.254", "fd00:0:0:1::fe"}) {
                server.ip("neigh", "replace", gw, "lladdr", Ethernet.macText(d1Mac), "dev", "s0", "nud", "permanent");
            }
            installFlows(clientMac, serverMac, d0Mac, d1Mac);
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    /** One arm of the director, up, with transmit checksum offload off; returns its MAC. */
    private long arm(String dev, String v4, String v6) throws Exception {
        director.exec("ethtool", "-K", dev, "tx", "off");
        return host(director, dev, v4, v6);
    }

    /** An interface with its addresses, up, its offloads left as they are; returns its MAC. */
    private static long host(NetnsFixture ns, String dev, String v4, String v6) throws Exception {
        ns.exec("sysctl", "-qw", "net.ipv6.conf." + dev + ".disable_ipv6=0");
        ns.ip("addr", "add", v4, "dev", dev);
        ns.ip("addr", "add", v6, "dev", dev, "nodad");
        ns.ip("link", "set", dev, "up");
        return ns.mac(dev);
    }

    /** Both NAT directions of the UDP flow, IPv4 and IPv6, as UVS would install them; the program on both arms. */
    private void installFlows(long clientMac, long serverMac, long d0Mac, long d1Mac) throws Exception {
        int d0 = director.ifIndex("d0");
        int d1 = director.ifIndex("d1");
        flows = FastPathMap.create(16);
        FastPathEntry e = new FastPathEntry();
        e.key().set(Af.INET, 17, 0, CLIENT, CLIENT_PORT, 0, VIP, VPORT);
        assertThat(flows.install(e.nat(serverMac, d1Mac, d1, 0, CLIENT, CLIENT_PORT, 0, RS, RPORT)))
            .isEqualTo(FastPathMap.INSTALLED);
        e.key().set(Af.INET, 17, 0, RS, RPORT, 0, CLIENT, CLIENT_PORT);
        assertThat(flows.install(e.nat(clientMac, d0Mac, d0, 0, VIP, VPORT, 0, CLIENT, CLIENT_PORT)))
            .isEqualTo(FastPathMap.INSTALLED);
        e.key().set(Af.INET6, 17, NET6, CLIENT6, CLIENT_PORT, NET6, VIP6, VPORT);
        assertThat(flows.install(e.nat(serverMac, d1Mac, d1, NET6, CLIENT6, CLIENT_PORT, RS_NET6, RS6, RPORT)))
            .isEqualTo(FastPathMap.INSTALLED);
        e.key().set(Af.INET6, 17, RS_NET6, RS6, RPORT, NET6, CLIENT6, CLIENT_PORT);
        assertThat(flows.install(e.nat(clientMac, d0Mac, d0, NET6, VIP6, VPORT, NET6, CLIENT6, CLIENT_PORT)))
            .isEqualTo(FastPathMap.INSTALLED);
        tc = TcFastPath.create(flows);
        Netns.call(director.name, () -> {
            tc.attach("d0");
            tc.attach("d1");
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        CloseHelper.closeAll(tc, flows, client, director, server);
    }

    @Test
    void partialChecksumsComeOutRightBothWaysOverIpv4() throws Exception {
        echoThree("10.0.0.1", "10.0.0.100", "10.1.0.2");
        assertThat(fastPathPackets(Af.INET, 0, CLIENT, 0, VIP)).as("client -> VIP by the fast path").isEqualTo(3);
        assertThat(fastPathPackets(Af.INET, 0, RS, 0, CLIENT)).as("real server -> client by the fast path")
            .isEqualTo(3);
    }

    @Test
    void partialChecksumsComeOutRightBothWaysOverIpv6() throws Exception {
        echoThree("fd00::1", "fd00::64", "fd00:0:0:1::2");
        assertThat(fastPathPackets(Af.INET6, NET6, CLIENT6, NET6, VIP6)).as("client -> VIP by the fast path")
            .isEqualTo(3);
        assertThat(fastPathPackets(Af.INET6, RS_NET6, RS6, NET6, CLIENT6)).as("real server -> client by the fast path")
            .isEqualTo(3);
    }

    /** Three questions from the client to the VIP, each answered by the real server, all by the fast path. */
    private void echoThree(String clientAddr, String vip, String rsAddr) throws Exception {
        assertThat(client.execOutput("ethtool", "-k", "c0")).as("the client's offloads")
            .contains("tx-checksumming: on");
        assertThat(server.execOutput("ethtool", "-k", "s0")).as("the server's offloads")
            .contains("tx-checksumming: on");
        try (DatagramSocket rs = Netns.call(server.name,
                 () -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName(rsAddr), RPORT)));
             DatagramSocket c = Netns.call(client.name,
                 () -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName(clientAddr), CLIENT_PORT)))) {
            rs.setSoTimeout(3000);
            c.setSoTimeout(3000);
            c.connect(new InetSocketAddress(InetAddress.getByName(vip), VPORT));
            for (int i = 0; i < 3; i++) {
                // lengths with an odd byte, so the summed data ends in half a word
                byte[] question = ("question " + i + " " + "x".repeat(i * 37 + 1)).getBytes(StandardCharsets.US_ASCII);
                c.send(new DatagramPacket(question, question.length));
                DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
                try {
                    rs.receive(in);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no question through the fast path; the real server's counters: "
                        + server.execOutput("cat", "/proc/net/snmp", "/proc/net/snmp6"), e);
                }
                assertThat(in.getAddress()).isEqualTo(InetAddress.getByName(clientAddr));
                assertThat(in.getPort()).isEqualTo(CLIENT_PORT);
                assertThat(new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII))
                    .isEqualTo(new String(question, StandardCharsets.US_ASCII));
                byte[] answer = ("answer " + i).getBytes(StandardCharsets.US_ASCII);
                rs.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
                DatagramPacket back = new DatagramPacket(new byte[2048], 2048);
                try {
                    c.receive(back);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no answer through the fast path; the client's counters: "
                        + client.execOutput("cat", "/proc/net/snmp", "/proc/net/snmp6"), e);
                }
                assertThat(back.getAddress()).isEqualTo(InetAddress.getByName(vip));
                assertThat(back.getPort()).isEqualTo(VPORT);
                assertThat(new String(back.getData(), 0, back.getLength(), StandardCharsets.US_ASCII))
                    .isEqualTo("answer " + i);
            }
        }
    }

    /** The fast path's packet count of a flow direction: to the VIP from the client, else from the real server. */
    private long fastPathPackets(int af, long srcHi, long srcLo, long dstHi, long dstLo) {
        FastPathEntry e = new FastPathEntry();
        boolean toVip = dstLo == VIP || dstLo == VIP6;
        e.key().set(af, 17, srcHi, srcLo, toVip ? CLIENT_PORT : RPORT, dstHi, dstLo, toVip ? VPORT : CLIENT_PORT);
        assertThat(flows.read(e.key())).isTrue();
        return flows.packets();
    }
}
