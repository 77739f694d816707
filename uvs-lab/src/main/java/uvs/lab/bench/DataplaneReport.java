package uvs.lab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import uvs.lab.bench.DataplaneBench.Result;
import uvs.lab.bench.DataplaneBench.TcpRun;
import uvs.lab.bench.DataplaneBench.UdpRun;

/** Turns the bench's runs into the JSON report and a short text summary. */
final class DataplaneReport {
    /** The set-ups that run uvsd, compared with the kernel's. */
    private static final List<Setup> UVS_SETUPS = List.of(Setup.UVS_DR, Setup.UVS_DR_2W, Setup.UVS_NAT,
        Setup.UVS_DR_AF_XDP, Setup.UVS_NAT_AF_XDP, Setup.TCX_FASTPATH_DR, Setup.TCX_FASTPATH_NAT, Setup.FASTPATH_DR,
        Setup.FASTPATH_NAT);

    private static final double NS_PER_TICK = 1e9 / ProcStat.TICKS_PER_SECOND;
    /** The target: UVS at least this fraction of the nftables load balancer's packets/s. */
    static final double TARGET_VS_NFTABLES = 0.8;

    private DataplaneReport() {}

    /** The whole report. */
    static Map<String, Object> report(Map<Setup, Result> results, int seconds, int runs, int flows, int threads,
            int frameLength, List<String> notes) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "uvs bench dataplane");
        for (Result r : results.values()) {
            root.put("udp_pps_" + r.setup().key(), Math.round(udpPps(r).median()));
        }
        for (Result r : results.values()) {
            root.put("udp_pps_2_senders_" + r.setup().key(), Math.round(udpPps2(r).median()));
        }
        for (Result r : results.values()) {
            root.put("tcp_cps_" + r.setup().key(), Math.round(tcpCps(r).median()));
        }
        for (Setup uvs : UVS_SETUPS) {
            for (Setup base : List.of(Setup.KERNEL_ROUTING, Setup.NFTABLES)) {
                root.put("ratio_udp_pps_" + uvs.key() + "_vs_" + base.key(), ratio(results, uvs, base, true));
                root.put("ratio_udp_pps_2_senders_" + uvs.key() + "_vs_" + base.key(),
                    ratio(udpPps2(results.get(uvs)), udpPps2(results.get(base))));
                root.put("ratio_tcp_cps_" + uvs.key() + "_vs_" + base.key(), ratio(results, uvs, base, false));
            }
        }
        for (Setup reference : List.of(Setup.KERNEL_ROUTING, Setup.TC_REDIRECT)) {
            root.put("ratio_udp_pps_" + reference.key() + "_vs_nftables_dnat",
                ratio(results, reference, Setup.NFTABLES, true));
            root.put("ratio_udp_pps_2_senders_" + reference.key() + "_vs_nftables_dnat",
                ratio(udpPps2(results.get(reference)), udpPps2(results.get(Setup.NFTABLES))));
        }
        root.put("target_udp_pps_uvs_vs_nftables", TARGET_VS_NFTABLES);
        double dr = ratio(results, Setup.UVS_DR, Setup.NFTABLES, true);
        root.put("target_met_uvs_dr", Double.isNaN(dr) ? null : dr >= TARGET_VS_NFTABLES);
        for (Setup uvs : UVS_SETUPS) {
            Result r = results.get(uvs);
            if (r != null) {
                root.put("uvs_cpu_ns_per_packet_" + uvs.key(), median(r.udp(), u -> nsPerPacket(u, u.uvsTicks())));
                root.put("uvs_engine_cpu_ns_per_packet_" + uvs.key(),
                    median(r.udp(), u -> nsPerPacket(u, u.engineTicks())));
            }
        }
        for (Result r : results.values()) {
            double softirq = median(r.udp(), u -> u.cpu().interrupts() * NS_PER_TICK / u.delivered());
            root.put("director_softirq_ns_per_packet_" + r.setup().key(), softirq);
            double uvs = UVS_SETUPS.contains(r.setup()) ? median(r.udp(), u -> nsPerPacket(u, u.uvsTicks())) : 0;
            root.put("director_cpu_ns_per_packet_" + r.setup().key(), softirq + uvs);
        }
        root.put("machine", machine());
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("runs", runs);
        method.put("seconds_per_run", seconds);
        method.put("udp", "AF_PACKET sendmmsg blaster (qdisc bypass, protocol 0: send only) in the router namespace on "
            + "the bridge port facing d1, " + frameLength + "-byte frames (64 with FCS) to VIP:" + DataplaneBench.UDP_PORT
            + " from " + flows + " flows (100 source addresses x ports); delivered = sum of the real servers' eth0 "
            + "rx_packets over the run, divided by the sending time; the real servers drop the packets in nftables "
            + "prerouting (priority -300) so they cost little there");
        method.put("udp_2_senders", "the same with two sending threads (two sockets, the flows split between them), "
            + "so the kernel set-ups, whose forwarding runs in the sender's context, can use both cores");
        method.put("tcp", threads + " client threads in the client namespace (100 source addresses): connect to VIP:"
            + DataplaneBench.TCP_PORT + ", read the one byte the real server's accept-and-close server writes, "
            + "close with RST (SO_LINGER 0); counts connections that got the byte");
        method.put("path", "client/router -> d1 (the set-up) -> bridge -> rs1..rs3; replies via the router (DR) or d1 "
            + "(nftables, UVS NAT); router route mode d1");
        method.put("warm_up", "1 s of UDP and 1 s of TCP before the measured runs of each set-up (ARP, JIT)");
        method.put("cpu_ticks", "/proc/PID/stat utime+stime at " + ProcStat.TICKS_PER_SECOND
            + " Hz; uvs_cpu is the whole uvsd JVM, uvs_engine_cpu its engine (data-plane) thread, per packet "
            + "forwarded; it includes the kernel work sendmmsg does in uvsd's context (veth, bridge, real server)");
        method.put("softirq", "director_softirq_ns_per_packet: the irq + softirq columns of /proc/stat's aggregate "
            + "cpu line (all CPUs, the whole machine: no per-namespace accounting exists for softirq), per packet "
            + "delivered, one sender; it holds d1's driver and XDP work (the fast path runs there), the bridge's "
            + "and the real servers' receive, alike in every set-up, so set-ups differ by what d1 does");
        method.put("director_cpu", "director_cpu_ns_per_packet: director_softirq_ns_per_packet plus, for the UVS "
            + "set-ups, uvs_cpu_ns_per_packet (medians, one sender): the kernel's packet work and uvsd's process; "
            + "the kernel set-ups do all their director work in softirq");
        method.put("uvs_cpu_fast_path", "in the fast-path set-ups uvs_cpu_ns_per_packet divides uvsd's CPU by every "
            + "packet it is responsible for: forwarded by its worker plus forwarded by its XDP program (folded)");
        root.put("method", method);
        Map<String, Object> setups = new LinkedHashMap<>();
        for (Result r : results.values()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("description", r.setup().description());
            s.put("udp_pps", udpPps(r).toJson());
            s.put("udp_pps_2_senders", udpPps2(r).toJson());
            s.put("tcp_cps", tcpCps(r).toJson());
            s.put("udp_runs", r.udp().stream().map(DataplaneReport::udpJson).toList());
            s.put("udp_runs_2_senders", r.udpTwoSenders().stream().map(DataplaneReport::udpJson).toList());
            s.put("tcp_runs", r.tcp().stream().map(DataplaneReport::tcpJson).toList());
            setups.put(r.setup().key(), s);
        }
        root.put("setups", setups);
        List<String> bounds = new ArrayList<>(List.of(
            "2 vCPUs run everything: the blaster, the kernel softirq work of d1, the bridge and the real servers "
                + "(veth delivers in the sender's context), and in the UVS set-ups uvsd's engine thread",
            "kernel routing and nftables do all their work in softirq, mostly in the blaster's sendmmsg context "
                + "(one core); UVS splits it: the blaster's core copies into the TPACKET_V3 ring, the engine thread "
                + "reads, rewrites and sends (its sendmmsg also runs the bridge and real-server delivery)",
            "sender_refused counts frames veth refused because d1's input backlog was full (netdev_max_backlog); "
                + "uvs ring drops count frames the kernel could not put in uvsd's ring"));
        bounds.addAll(notes);
        root.put("bounds", bounds);
        return root;
    }

    /** A few lines for the terminal. */
    static String summary(Map<Setup, Result> results) {
        StringBuilder sb = new StringBuilder(String.format("%-16s %14s %8s %14s %8s %14s %8s%n", "set-up",
            "udp pps", "spread", "2 senders", "spread", "tcp conn/s", "spread"));
        for (Result r : results.values()) {
            Spread u = udpPps(r);
            Spread u2 = udpPps2(r);
            Spread t = tcpCps(r);
            sb.append(String.format("%-16s %,14.0f %7.1f%% %,14.0f %7.1f%% %,14.0f %7.1f%%%n", r.setup().key(),
                u.median(), u.spreadPercent(), u2.median(), u2.spreadPercent(), t.median(), t.spreadPercent()));
        }
        return sb.toString();
    }

    static Spread udpPps(Result r) {
        return Spread.of(r.udp().stream().mapToDouble(UdpRun::deliveredPps).toArray());
    }

    /** The two-sender UDP rate; null without a result. */
    static Spread udpPps2(Result r) {
        return r == null ? null : Spread.of(r.udpTwoSenders().stream().mapToDouble(UdpRun::deliveredPps).toArray());
    }

    static Spread tcpCps(Result r) {
        return Spread.of(r.tcp().stream().mapToDouble(TcpRun::cps).toArray());
    }

    private static double ratio(Map<Setup, Result> results, Setup a, Setup b, boolean udp) {
        Result ra = results.get(a);
        Result rb = results.get(b);
        if (ra == null || rb == null) {
            return Double.NaN;
        }
        return udp ? ratio(udpPps(ra), udpPps(rb)) : ratio(tcpCps(ra), tcpCps(rb));
    }

    /** Ratio of the medians; NaN (written as null) when either is missing or the divisor is 0. */
    static double ratio(Spread a, Spread b) {
        return a == null || b == null || b.median() == 0 ? Double.NaN : a.median() / b.median();
    }

    private static double median(List<UdpRun> runs, ToDoubleFunction<UdpRun> f) {
        return Spread.of(runs.stream().mapToDouble(f).toArray()).median();
    }

    private static double nsPerPacket(UdpRun u, long ticks) {
        long forwarded = u.uvs().getOrDefault("packets.forwarded", 0L) + u.uvs().getOrDefault("fast.packets", 0L);
        return ticks < 0 || forwarded == 0 ? Double.NaN : ticks * NS_PER_TICK / forwarded;
    }

    private static Map<String, Object> udpJson(UdpRun u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delivered_pps", Math.round(u.deliveredPps()));
        m.put("sent_pps", Math.round(u.sentPps()));
        m.put("sent", u.sent());
        m.put("delivered", u.delivered());
        m.put("sender_refused", u.senderDropped());
        m.put("d1_rx_dropped", u.d1RxDropped());
        m.put("d1_tx_dropped", u.d1TxDropped());
        m.put("bridge_to_rs_dropped", u.bridgeDrops());
        m.put("softnet_backlog_drops", u.softnetDrops());
        long total = u.cpu().total();
        m.put("cpu_busy_pct", pct(total - u.cpu().idle(), total));
        m.put("cpu_softirq_pct", pct(u.cpu().interrupts(), total));
        m.put("blaster_cpu_ticks", u.blasterTicks());
        if (!u.uvs().isEmpty()) {
            m.put("uvs_rx_frames", u.uvs().get("rx.frames"));
            m.put("uvs_ring_drops", u.uvs().get("rx.ring-drops"));
            m.put("uvs_forwarded", u.uvs().get("packets.forwarded"));
            m.put("uvs_fast_path_folded", u.uvs().getOrDefault("fast.packets", 0L));
            m.put("uvs_tx_dropped", u.uvs().get("tx.dropped"));
            m.put("uvs_engine_drops", u.uvs().get("packets.engine-drops"));
            m.put("uvs_neighbour_misses", u.uvs().get("neighbours.misses"));
            m.put("uvs_cpu_ticks", u.uvsTicks());
            m.put("uvs_engine_cpu_ticks", u.engineTicks());
            // below 100: the engine thread was off its core part of the run (other processes, softirq)
            m.put("uvs_engine_cpu_pct_of_core", u.engineTicks() * NS_PER_TICK * 100 / u.nanos());
            m.put("uvs_cpu_ns_per_packet", nsPerPacket(u, u.uvsTicks()));
            m.put("uvs_engine_cpu_ns_per_packet", nsPerPacket(u, u.engineTicks()));
        }
        return m;
    }

    private static Map<String, Object> tcpJson(TcpRun t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cps", Math.round(t.cps()));
        m.put("connections", t.ok());
        m.put("failed", t.failed());
        return m;
    }

    private static double pct(long part, long total) {
        return total == 0 ? Double.NaN : 100.0 * part / total;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        m.put("loadavg_at_end", loadAverage());
        return m;
    }

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute averages: other work on the machine skews the rates. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
