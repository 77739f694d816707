package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.PacketIoChoice;
import uvs.net.bpf.SteeringEntry;
import uvs.net.dataplane.Link;
import uvs.time.ManualClock;

/** What the XDP steering map holds for a configuration, and when AF_XDP cannot serve a data plane. */
class XdpPortsTest {
    private static final IpAddress VIP = IpAddress.parse("10.0.0.100");
    private static final IpAddress VIP6 = IpAddress.parse("fd00::100");
    private static final IpAddress RS = IpAddress.parse("10.1.0.2");
    private static final IpAddress RS_DR = IpAddress.parse("10.1.0.3");
    private static final IpAddress GATEWAY = IpAddress.parse("10.1.0.254");

    @Test
    void servicesNatRealServersAndAnnouncedAddresses() {
        Engine e = new Engine(new ManualClock(1), EngineConfig.defaults());
        ServiceKey http = ServiceKey.of(IpProto.TCP, VIP, 80);
        e.addService(http, ServiceConfig.of("rr"));
        e.addDest(http, RS, 8080, RealServerConfig.of(1, ForwardMethod.MASQ));
        e.addDest(http, RS_DR, 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        ServiceKey dns = ServiceKey.of(IpProto.UDP, VIP6, 53);
        e.addService(dns, ServiceConfig.of("rr").withNetmask(128));
        ServiceKey marked = ServiceKey.fwmark(7, Af.INET);
        e.addService(marked, ServiceConfig.of("rr"));
        e.addDest(marked, RS, 0, RealServerConfig.of(1, ForwardMethod.MASQ));
        int[] unserved = new int[2];
        Set<SteeringEntry> entries = XdpPorts.entries(e, List.of(GATEWAY), unserved);
        assertThat(entries).containsExactlyInAnyOrder(
            new SteeringEntry(SteeringEntry.SERVICE, VIP, 80, 6),
            new SteeringEntry(SteeringEntry.SERVICE, VIP, 0, 0),
            new SteeringEntry(SteeringEntry.SERVICE, VIP6, 53, 17),
            new SteeringEntry(SteeringEntry.SERVICE, VIP6, 0, 0),
            new SteeringEntry(SteeringEntry.REAL_SERVER, RS, 8080, 6),
            new SteeringEntry(SteeringEntry.REAL_SERVER, RS, 0, 0),
            // the marked service's NAT real server: any port of TCP, UDP, SCTP
            new SteeringEntry(SteeringEntry.REAL_SERVER, RS, 0, 6),
            new SteeringEntry(SteeringEntry.REAL_SERVER, RS, 0, 17),
            new SteeringEntry(SteeringEntry.REAL_SERVER, RS, 0, 132),
            new SteeringEntry(SteeringEntry.ANNOUNCED, GATEWAY, 0, 0));
        assertThat(unserved).containsExactly(1, 0);
    }

    @Test
    void aQueuePerWorkerAndFramesThatFitAUmemFrame() {
        Link small = new Link("eth0", 1, 1500, List.of());
        assertThat(XdpPorts.unsupported(2, List.of(small), name -> 1)).isEqualTo("--workers 2: eth0 has 1 receive "
            + "queue, and each worker needs its own AF_XDP socket on a queue of every interface (add queues: "
            + "ethtool -L, or numrxqueues for veth)");
        assertThat(XdpPorts.unsupported(2, List.of(small), name -> 2)).isNull();
        assertThat(XdpPorts.unsupported(1, List.of(new Link("eth1", 1, 9000, List.of())), name -> 1))
            .isEqualTo("eth1: MTU 9000 does not fit an AF_XDP frame of 3840 bytes");
    }

    @Test
    void ioChoiceParsesTheThreeNames() {
        assertThat(PacketIoChoice.parse("af_xdp")).isEqualTo(PacketIoChoice.AF_XDP);
        assertThat(PacketIoChoice.parse("af_packet")).isEqualTo(PacketIoChoice.AF_PACKET);
        assertThat(PacketIoChoice.parse("auto")).isEqualTo(PacketIoChoice.AUTO);
        assertThatThrownBy(() -> PacketIoChoice.parse("xdp"))
            .hasMessage("--io must be af_xdp, af_packet or auto, got 'xdp'");
    }
}
