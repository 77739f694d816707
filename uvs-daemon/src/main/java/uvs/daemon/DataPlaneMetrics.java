package uvs.daemon;

import static uvs.daemon.metrics.MetricPoints.counter;
import static uvs.daemon.metrics.MetricPoints.gauge;
import static uvs.daemon.metrics.MetricPoints.gp;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import uvs.net.dataplane.DataPlaneCounters;
import uvs.net.io.PacketIoStats;

/**
 * Prometheus metrics of the packet data plane: frames in and out of the AF_PACKET port, what the worker did
 * with them and why packets were lost. Read without locks; values may be a moment old.
 */
final class DataPlaneMetrics implements MultiCollector {
    private final DataPlane dataPlane;

    DataPlaneMetrics(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        PacketIoStats s = dataPlane.ioStats();
        DataPlaneCounters c = dataPlane.counters();
        out.add(gauge("uvs_dataplane_up", "1 while the data plane runs on this interface",
            List.of(gp(1, "interface", dataPlane.iface()))));
        out.add(gauge("uvs_dataplane_io", "1 for the packet port the data plane uses (af_xdp or af_packet)",
            List.of(gp(1, "io", dataPlane.ioName()))));
        out.add(counter("uvs_dataplane_rx_frames", "Frames received", s.rxFrames));
        out.add(counter("uvs_dataplane_rx_bytes", "Bytes received", s.rxBytes));
        out.add(counter("uvs_dataplane_rx_ring_drops", "Frames the kernel dropped: receive ring full", s.rxDropped));
        out.add(counter("uvs_dataplane_tx_frames", "Frames sent", s.txFrames));
        out.add(counter("uvs_dataplane_tx_bytes", "Bytes sent", s.txBytes));
        out.add(counter("uvs_dataplane_tx_dropped", "Frames that could not be sent", s.txDropped));
        out.add(counter("uvs_dataplane_packets", "IP packets handed to the engine", c.packets));
        out.add(counter("uvs_dataplane_forwarded", "Packets forwarded to real servers", c.forwarded));
        out.add(counter("uvs_dataplane_nat_replies", "NAT replies translated back to the virtual address", c.replies));
        out.add(counter("uvs_dataplane_icmp_relayed", "ICMP errors translated for a connection", c.icmpRelayed));
        out.add(counter("uvs_dataplane_icmp_sent", "ICMP errors the director sent", c.icmpSent));
        out.add(counter("uvs_dataplane_engine_drops", "Packets the engine dropped", c.dropped));
        out.add(counter("uvs_dataplane_neighbour_misses", "Packets whose next hop MAC was not known yet (queued)",
            c.neighbourMisses));
        out.add(counter("uvs_dataplane_neighbour_queue_overflows",
            "Packets dropped: the per-neighbour queue for an unresolved next hop was full", c.neighbourQueueDrops));
        out.add(counter("uvs_dataplane_neighbour_unresolved",
            "Packets dropped because their next hop did not answer ARP/ND (ICMP host unreachable sent)",
            c.neighbourFailures));
        out.add(counter("uvs_dataplane_no_route", "Packets dropped: no route on the interface", c.noRoute));
        out.add(counter("uvs_dataplane_ttl_expired", "Packets dropped: TTL or hop limit ran out", c.ttlExpired));
        out.add(counter("uvs_dataplane_too_big", "Packets dropped: too big for the interface", c.tooBig));
        out.add(counter("uvs_dataplane_malformed", "Frames that could not be parsed", c.malformed));
        out.add(counter("uvs_dataplane_fragments", "Non-first IP fragments seen (not forwarded)", c.fragments));
        out.add(counter("uvs_dataplane_neighbour_requests", "ARP requests and neighbour solicitations sent",
            c.neighbourRequests));
        out.add(counter("uvs_dataplane_neighbour_requests_passed", "Next hops the other workers passed to worker 0 "
            + "to ask for (only worker 0 sends ARP/ND)", c.neighbourPassed));
        out.add(counter("uvs_dataplane_announcements", "ARP replies and neighbour advertisements for announced "
            + "addresses", c.announcements));
        out.add(gauge("uvs_dataplane_fast_path_up",
            "1 while UVS's BPF program (XDP or tcx) forwards established flows itself",
            List.of(gp(dataPlane.fastPathOn() ? 1 : 0, "interface", dataPlane.iface()))));
        out.add(gauge("uvs_dataplane_fast_path_entries", "Flow directions in the fast path's map",
            List.of(gp(c.fastPathFlows, "interface", dataPlane.iface()))));
        out.add(counter("uvs_dataplane_fast_path_installs", "Flow directions installed into the fast path",
            c.fastPathInstalls));
        out.add(counter("uvs_dataplane_fast_path_removals", "Flow directions removed from the fast path",
            c.fastPathRemovals));
        out.add(counter("uvs_dataplane_fast_path_full", "Flow directions left with UVS because the map was full",
            c.fastPathFull));
        out.add(counter("uvs_dataplane_fast_path_folded_packets",
            "Packets the fast path forwarded, folded into the connection table", c.fastPathFolded));
        return new MetricSnapshots(out);
    }
}
