package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.sys.NetlinkMessages.attr;
import static uvs.net.sys.NetlinkMessages.bytes;
import static uvs.net.sys.NetlinkMessages.ndmsg;
import static uvs.net.sys.NetlinkMessages.rtmsg;
import static uvs.net.sys.NetlinkMessages.u32;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.net.sys.NetlinkMessages;
import uvs.net.sys.RouteTable;
import uvs.net.sys.RtNetlink;
import uvs.time.ManualClock;

class RouteWatchTest {
    private final KernelNextHops hops = new KernelNextHops(List.of("eth0", "eth1"), RouteTable.of(List.of()));
    private final NeighbourTable n0 = new NeighbourTable(16);
    private final NeighbourTable n1 = new NeighbourTable(16);
    private final RouteWatch watch = new RouteWatch(null, List.of("eth0", "eth1"), new int[] {3, 4}, hops,
        List.of(n0, n1), new ManualClock(1));
    private final NextHops.Hop hop = new NextHops.Hop();

    private void hear(byte[] datagram) {
        RtNetlink.parse(MemorySegment.ofArray(datagram), datagram.length, watch);
        watch.publish();
    }

    private static byte[] route(int type, int table, int rtnType, int dstLen, byte[] dst, byte[] gw, int oif) {
        byte[] body = gw == null
            ? rtmsg(Af.INET, dstLen, table, rtnType, u32(RtNetlink.RTA_TABLE, table), attr(RtNetlink.RTA_DST, dst),
                u32(RtNetlink.RTA_OIF, oif))
            : rtmsg(Af.INET, dstLen, table, rtnType, u32(RtNetlink.RTA_TABLE, table), attr(RtNetlink.RTA_DST, dst),
                attr(RtNetlink.RTA_GATEWAY, gw), u32(RtNetlink.RTA_OIF, oif));
        return new NetlinkMessages().message(type, 0, 0, body).bytes();
    }

    @Test
    void shouldRouteByTheMainTableOnly() {
        hear(route(RtNetlink.RTM_NEWROUTE, 254, 1, 24, bytes(10, 1, 1, 0), null, 4));
        hear(route(RtNetlink.RTM_NEWROUTE, 254, 1, 16, bytes(10, 9, 0, 0), bytes(10, 1, 1, 254), 4));
        hear(route(RtNetlink.RTM_NEWROUTE, 100, 1, 8, bytes(10, 0, 0, 0), null, 3)); // policy table: ignored
        assertThat(hops.lookup(Af.INET, 0, 0x0A090505L, hop)).isTrue();
        assertThat(hop.port).isEqualTo(1);
        assertThat(hop.lo).isEqualTo(0x0A0101FEL); // the gateway
        assertThat(hops.lookup(Af.INET, 0, 0x0A010107L, hop)).isTrue();
        assertThat(hop.lo).isEqualTo(0x0A010107L); // on-link
        assertThat(hops.lookup(Af.INET, 0, 0x0A020202L, hop)).isFalse();
    }

    @Test
    void shouldForgetADeletedRouteAndIgnoreRoutesOfOtherInterfaces() {
        hear(route(RtNetlink.RTM_NEWROUTE, 254, 1, 16, bytes(10, 9, 0, 0), bytes(10, 1, 1, 254), 4));
        hear(route(RtNetlink.RTM_NEWROUTE, 254, 1, 24, bytes(10, 9, 9, 0), null, 9)); // not a data-plane interface
        assertThat(hops.lookup(Af.INET, 0, 0x0A090909L, hop)).isFalse(); // its best route leaves elsewhere
        hear(route(RtNetlink.RTM_DELROUTE, 254, 1, 16, bytes(10, 9, 0, 0), bytes(10, 1, 1, 254), 4));
        assertThat(hops.lookup(Af.INET, 0, 0x0A090505L, hop)).isFalse();
        assertThat(watch.changes()).isEqualTo(3);
    }

    @Test
    void shouldLearnKernelNeighboursOfDataPlaneInterfaces() {
        hear(new NetlinkMessages().message(RtNetlink.RTM_NEWNEIGH, 0, 0, ndmsg(Af.INET, 3, 0x02,
            attr(RtNetlink.NDA_DST, bytes(10, 1, 1, 9)), attr(RtNetlink.NDA_LLADDR, bytes(2, 0, 0, 0, 0, 9)))).bytes());
        hear(new NetlinkMessages().message(RtNetlink.RTM_NEWNEIGH, 0, 0, ndmsg(Af.INET, 3, 0x20, // FAILED
            attr(RtNetlink.NDA_DST, bytes(10, 1, 1, 8)), attr(RtNetlink.NDA_LLADDR, bytes(2, 0, 0, 0, 0, 8)))).bytes());
        assertThat(n0.mac(Af.INET, 0, 0x0A010109L)).isEqualTo(0x0200_0000_0009L);
        assertThat(n0.mac(Af.INET, 0, 0x0A010108L)).isEqualTo(NeighbourTable.NONE);
        assertThat(n1.size()).isZero();
        assertThat(n0.shouldRequest(Af.INET, 0, 0x0A010109L, 2)).isFalse();
        hear(new NetlinkMessages().message(RtNetlink.RTM_DELNEIGH, 0, 0, ndmsg(Af.INET, 3, 0,
            attr(RtNetlink.NDA_DST, bytes(10, 1, 1, 9)))).bytes());
        assertThat(n0.shouldRequest(Af.INET, 0, 0x0A010109L, 3)).isTrue(); // asked for again, MAC kept meanwhile
    }

    @Test
    void shouldCountAMalformedMessageAndChangeNothing() {
        hear(route(RtNetlink.RTM_NEWROUTE, 254, 1, 16, bytes(10, 9, 0, 0), bytes(10, 1, 1, 254), 4));
        RouteTable before = hops.table();
        byte[] bad = route(RtNetlink.RTM_DELROUTE, 254, 1, 16, bytes(10, 9, 0, 0), bytes(10, 1, 1, 254), 4);
        hear(java.util.Arrays.copyOf(bad, bad.length - 6));
        assertThat(watch.malformed()).isEqualTo(1);
        assertThat(watch.lastProblem()).contains("netlink message of type 25");
        assertThat(hops.table()).isSameAs(before);
        assertThat(hops.lookup(Af.INET, 0, 0x0A090505L, hop)).isTrue();
    }
}
