package uvs.net.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.net.sys.NetlinkMessages.attr;
import static uvs.net.sys.NetlinkMessages.bytes;
import static uvs.net.sys.NetlinkMessages.ndmsg;
import static uvs.net.sys.NetlinkMessages.rtmsg;
import static uvs.net.sys.NetlinkMessages.u32;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;

class RtNetlinkTest {
    /** Records what the parser reported, one line per callback. */
    static final class Recorder implements RtNetlink.Listener {
        final List<String> events = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        @Override
        public void route(boolean added, int af, int table, int type, long dstHi, long dstLo, int prefixLength,
                          boolean hasGateway, long gatewayHi, long gatewayLo, int oif, long metric) {
            events.add((added ? "+route " : "-route ") + af + " " + Long.toHexString(dstHi) + ":"
                + Long.toHexString(dstLo) + "/" + prefixLength + " table " + table + " type " + type + " gw "
                + (hasGateway ? Long.toHexString(gatewayHi) + ":" + Long.toHexString(gatewayLo) : "-") + " oif " + oif
                + " metric " + metric);
        }

        @Override
        public void neighbour(boolean added, int ifindex, int af, long hi, long lo, long mac, int state) {
            events.add((added ? "+neigh " : "-neigh ") + af + " " + Long.toHexString(hi) + ":" + Long.toHexString(lo)
                + " if " + ifindex + " mac " + Long.toHexString(mac) + " state " + state);
        }

        @Override
        public void done(int seq) {
            events.add("done " + seq);
        }

        @Override
        public void failed(int seq, int errno) {
            events.add("failed " + seq + " errno " + errno);
        }

        @Override
        public void malformed(String problem) {
            problems.add(problem);
        }
    }

    private static Recorder parse(byte[] datagram) {
        Recorder r = new Recorder();
        RtNetlink.parse(MemorySegment.ofArray(datagram), datagram.length, r);
        return r;
    }

    static byte[] ipv4Route(int type, int dstLen, byte[] dst, byte[] gateway, int oif) {
        List<byte[]> attrs = new ArrayList<>();
        attrs.add(u32(RtNetlink.RTA_TABLE, RtNetlink.RT_TABLE_MAIN));
        if (dst != null) {
            attrs.add(attr(RtNetlink.RTA_DST, dst));
        }
        if (gateway != null) {
            attrs.add(attr(RtNetlink.RTA_GATEWAY, gateway));
        }
        attrs.add(u32(RtNetlink.RTA_PRIORITY, 100));
        attrs.add(u32(RtNetlink.RTA_OIF, oif));
        return new NetlinkMessages().message(type, 0, 0,
            rtmsg(Af.INET, dstLen, RtNetlink.RT_TABLE_MAIN, RtNetlink.RTN_UNICAST, attrs.toArray(byte[][]::new)))
            .bytes();
    }

    @Test
    void shouldDecodeAnIpv4RouteWithGateway() {
        Recorder r = parse(ipv4Route(RtNetlink.RTM_NEWROUTE, 16, bytes(10, 9, 0, 0), bytes(10, 200, 1, 2), 3));
        assertThat(r.problems).isEmpty();
        assertThat(r.events).containsExactly("+route 2 0:a090000/16 table 254 type 1 gw 0:ac80102 oif 3 metric 100");
    }

    @Test
    void shouldDecodeADefaultRouteWithoutRtaDstAndADeletion() {
        byte[] a = ipv4Route(RtNetlink.RTM_NEWROUTE, 0, null, bytes(192, 168, 0, 1), 2);
        byte[] b = ipv4Route(RtNetlink.RTM_DELROUTE, 24, bytes(10, 1, 2, 0), null, 2);
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Recorder r = parse(both);
        assertThat(r.events).containsExactly(
            "+route 2 0:0/0 table 254 type 1 gw 0:c0a80001 oif 2 metric 100",
            "-route 2 0:a010200/24 table 254 type 1 gw - oif 2 metric 100");
    }

    @Test
    void shouldDecodeAnIpv6RouteInTheTableItsAttributeNames() {
        byte[] dst = bytes(0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        byte[] gw = bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        // rtm_table says 252 (it holds only 8 bits); RTA_TABLE holds the real id
        byte[] d = new NetlinkMessages().message(RtNetlink.RTM_NEWROUTE, 0, 0, rtmsg(Af.INET6, 48, 252,
            RtNetlink.RTN_UNICAST, u32(RtNetlink.RTA_TABLE, 1000), attr(RtNetlink.RTA_DST, dst),
            attr(RtNetlink.RTA_GATEWAY, gw), u32(RtNetlink.RTA_OIF, 7))).bytes();
        assertThat(parse(d).events).containsExactly(
            "+route 10 20010db800010000:0/48 table 1000 type 1 gw fe80000000000000:1 oif 7 metric 0");
    }

    @Test
    void shouldDecodeNeighboursWithAndWithoutLinkAddress() {
        byte[] d = new NetlinkMessages()
            .message(RtNetlink.RTM_NEWNEIGH, 0, 0, ndmsg(Af.INET, 4, 0x80,
                attr(RtNetlink.NDA_DST, bytes(10, 200, 1, 2)), attr(RtNetlink.NDA_LLADDR, bytes(2, 0, 0, 0, 0, 9))))
            .message(RtNetlink.RTM_DELNEIGH, 0, 0, ndmsg(Af.INET, 4, 0x20, attr(RtNetlink.NDA_DST, bytes(10, 200, 1, 3))))
            .bytes();
        Recorder r = parse(d);
        assertThat(r.problems).isEmpty();
        assertThat(r.events).containsExactly("+neigh 2 0:ac80102 if 4 mac 20000000009 state 128",
            "-neigh 2 0:ac80103 if 4 mac ffffffffffffffff state 32");
    }

    @Test
    void shouldReportDumpEndAndErrorAnswers() {
        byte[] err = bytes(0xf0, 0xff, 0xff, 0xff); // -16 (EBUSY), then the request's header would follow
        byte[] d = new NetlinkMessages().message(RtNetlink.NLMSG_DONE, RtNetlink.NLM_F_MULTI, 5, new byte[4])
            .message(RtNetlink.NLMSG_ERROR, 0, 6, err).bytes();
        assertThat(parse(d).events).containsExactly("done 5", "failed 6 errno 16");
    }

    @Test
    void shouldReportATruncatedMessageAndDeliverNothingOfIt() {
        byte[] whole = ipv4Route(RtNetlink.RTM_NEWROUTE, 16, bytes(10, 9, 0, 0), bytes(10, 200, 1, 2), 3);
        for (int cut = 1; cut < whole.length; cut++) {
            Recorder r = parse(Arrays.copyOf(whole, cut));
            assertThat(r.events).as("cut at %d", cut).isEmpty();
            assertThat(r.problems).as("cut at %d", cut).hasSize(1);
        }
        Recorder r = parse(Arrays.copyOf(whole, 20));
        assertThat(r.problems.get(0)).contains("says it is 68 bytes long, 20 left");
    }

    @Test
    void shouldReportAnAttributeRunningPastItsMessage() {
        byte[] body = rtmsg(Af.INET, 16, RtNetlink.RT_TABLE_MAIN, RtNetlink.RTN_UNICAST,
            attr(RtNetlink.RTA_DST, bytes(10, 9, 0, 0)));
        body[RtNetlink.RTMSG_LEN] = 40; // rta_len larger than what is left
        Recorder r = parse(new NetlinkMessages().message(RtNetlink.RTM_NEWROUTE, 0, 0, body).bytes());
        assertThat(r.events).isEmpty();
        assertThat(r.problems).containsExactly("netlink message of type 24 at byte 0: attribute 1 of 40 bytes, 8 left");
    }

    @Test
    void shouldReportWrongAddressLengthsAndPrefixes() {
        Recorder r = parse(new NetlinkMessages().message(RtNetlink.RTM_NEWROUTE, 0, 0, rtmsg(Af.INET, 16,
            RtNetlink.RT_TABLE_MAIN, RtNetlink.RTN_UNICAST, attr(RtNetlink.RTA_DST, bytes(10, 9, 0)))).bytes());
        assertThat(r.problems).containsExactly("netlink message of type 24 at byte 0: RTA_DST of 3 bytes");
        r = parse(new NetlinkMessages().message(RtNetlink.RTM_NEWROUTE, 0, 0, rtmsg(Af.INET, 33,
            RtNetlink.RT_TABLE_MAIN, RtNetlink.RTN_UNICAST)).bytes());
        assertThat(r.problems).containsExactly("netlink message of type 24 at byte 0: prefix length 33");
        r = parse(new NetlinkMessages().message(RtNetlink.RTM_NEWNEIGH, 0, 0, ndmsg(Af.INET, 4, 2)).bytes());
        assertThat(r.problems).containsExactly("netlink message of type 28 at byte 0: neighbour without NDA_DST");
    }

    @Test
    void shouldSurviveSeededGarbage() {
        long seed = 0x5eed_0017L;
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] d = ipv4Route(RtNetlink.RTM_NEWROUTE, 16, bytes(10, 9, 0, 0), bytes(10, 200, 1, 2), 3);
            d[random.nextInt(d.length)] = (byte) random.nextInt(256);
            d = Arrays.copyOf(d, 1 + random.nextInt(d.length));
            Recorder r = parse(d); // never throws; at most the one message, or the problem named
            assertThat(r.events.size()).as("seed %x case %d", seed, i).isLessThanOrEqualTo(1);
            assertThat(r.problems.size()).as("seed %x case %d", seed, i).isLessThanOrEqualTo(1);
        }
    }
}
