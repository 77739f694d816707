package uvs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.net.bpf.FastPathEntry;
import uvs.net.bpf.FastPathMap;
import uvs.net.bpf.SteeringEntry;
import uvs.net.bpf.XdpSteering;

/**
 * Measures the XDP program's own cost per frame with BPF_PROG_TEST_RUN (the kernel's clock around repeated
 * runs; no driver, no wire) and writes {@code bench/results/xdp-fastpath.json}: the steering program alone on a
 * frame for UVS, and with the fast path in front for a map miss and for DR and NAT hits, the flow map holding
 * 65536 other flows. A hit rewrites the frame in place, so each measurement runs 250 times on a frame with
 * TTL 255 (all hits), and NAT uses a pair of entries that translate back and forth. Needs root.
 * Usage: {@code java -cp uvs-bench.jar uvs.bench.XdpFastPathReport OUT.json}.
 */
public final class XdpFastPathReport {
    private static final int REPEAT = 250;
    private static final int SAMPLES = 2000;
    private static final int FILLER = 65536;
    private static final int CLIENT = 0x0a000001;
    private static final int VIP = 0x0a000064;
    private static final int RS = 0x0a010002;
    private static final long NET6 = 0xfd00000000000000L;
    private static final long MAC = 0x020000000064L;

    private XdpFastPathReport() {
    }

    /** Entry point. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/xdp-fastpath.json");
        Map<String, Object> json = new LinkedHashMap<>();
        byte[] tcp4 = tcp4(CLIENT, 40000, VIP, 80);
        try (XdpSteering plain = XdpSteering.create(1024)) {
            plain.steer(Set.of(new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 80, 6)));
            json.put("steering_only_to_uvs_ns", median(plain, tcp4));
        }
        try (FastPathMap flows = FastPathMap.create(2 * FILLER); XdpSteering fast = XdpSteering.create(1024, flows)) {
            fast.steer(Set.of(new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 80, 6)));
            FastPathEntry e = new FastPathEntry();
            for (int i = 0; i < FILLER; i++) {
                e.key().set(Af.INET, 6, 0, 0x0b000000 + i, 1024 + i % 60000, 0, VIP, 80);
                flows.install(e.directRoute(MAC, MAC, 0));
            }
            json.put("fastpath_miss_to_uvs_ns", median(fast, tcp4(CLIENT, 40001, VIP, 80)));
            e.key().set(Af.INET, 6, 0, CLIENT, 40000, 0, VIP, 80);
            flows.install(e.directRoute(MAC, MAC, 0));
            json.put("fastpath_hit_dr_ipv4_tcp_ns", median(fast, tcp4));
            e.key().set(Af.INET, 6, 0, CLIENT, 40002, 0, VIP, 80);
            flows.install(e.nat(MAC, MAC, 0, 0, CLIENT, 40002, 0, RS, 8080));
            e.key().set(Af.INET, 6, 0, CLIENT, 40002, 0, RS, 8080);
            flows.install(e.nat(MAC, MAC, 0, 0, CLIENT, 40002, 0, VIP, 80));
            json.put("fastpath_hit_nat_ipv4_tcp_ns", median(fast, tcp4(CLIENT, 40002, VIP, 80)));
            e.key().set(Af.INET6, 6, NET6, 1, 40000, NET6, 0x64, 443);
            flows.install(e.nat(MAC, MAC, 0, NET6, 1, 40000, NET6, 0x102, 8443));
            e.key().set(Af.INET6, 6, NET6, 1, 40000, NET6, 0x102, 8443);
            flows.install(e.nat(MAC, MAC, 0, NET6, 1, 40000, NET6, 0x64, 443));
            json.put("fastpath_hit_nat_ipv6_tcp_ns", median(fast, tcp6(1, 40000, 0x64, 443)));
        }
        json.put("method", "BPF_PROG_TEST_RUN, median over " + SAMPLES + " calls of the kernel's average over "
            + REPEAT + " runs; JIT on; the program only (no driver, no DMA, no transmit)");
        StringBuilder s = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Object> en : json.entrySet()) {
            Object v = en.getValue();
            s.append("  \"").append(en.getKey()).append("\": ")
                .append(v instanceof String str ? "\"" + str + "\"" : v)
                .append(++i < json.size() ? ",\n" : "\n");
        }
        s.append("}\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, s.toString());
        System.out.print(s);
        System.out.println("wrote " + out);
    }

    private static int median(XdpSteering program, byte[] frame) {
        int[] ns = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            ns[i] = program.nanosPerRun(frame, REPEAT);
        }
        Arrays.sort(ns);
        return ns[SAMPLES / 2];
    }

    private static byte[] tcp4(int src, int sport, int dst, int dport) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20 + 64);
        b.putLong(MAC << 16).position(6).putLong(MAC << 16).position(12).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 20 + 64)).putInt(0).put((byte) 255).put((byte) 6)
            .putShort((short) 0).putInt(src).putInt(dst);
        b.putShort((short) sport).putShort((short) dport).putLong(0).put((byte) 0x50).put((byte) 0x10)
            .putShort((short) 0xffff).putInt(0);
        return b.array();
    }

    private static byte[] tcp6(long src, int sport, long dst, int dport) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 20 + 64);
        b.putLong(MAC << 16).position(6).putLong(MAC << 16).position(12).putShort((short) 0x86dd);
        b.putInt(0x60000000).putShort((short) (20 + 64)).put((byte) 6).put((byte) 255)
            .putLong(NET6).putLong(src).putLong(NET6).putLong(dst);
        b.putShort((short) sport).putShort((short) dport).putLong(0).put((byte) 0x50).put((byte) 0x10)
            .putShort((short) 0xffff).putInt(0);
        return b.array();
    }
}
