package uvs.lab;

import java.io.PrintWriter;
import java.util.SplittableRandom;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.Verdict;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.time.ManualClock;

/**
 * The engine-only demo: a persistent wlc service (300 s) with three direct-routing real servers, driven
 * by simulated TCP clients in virtual time. After two minutes one server is quiesced (weight 0) the way
 * ldirectord's {@code quiescent=yes} does it; two minutes later {@code expire_quiescent_template} is
 * turned on. The report shows what an operator sees: persistent clients keep reaching the quiescent
 * server until their templates expire, unless the tunable is set.
 */
final class EngineDemo {
    private static final int STEP_MS = 100;
    private static final int PHASE_SECONDS = 120;
    private static final int REPORT_EVERY_SECONDS = 30;
    private static final IpAddress VIP = IpAddress.parse("10.0.0.100");
    private static final int VPORT = 80;

    private final int clients;
    private final int rate;
    private final SplittableRandom random;
    private final PrintWriter out;
    private final ManualClock clock = new ManualClock();
    private final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(1 << 20, 1 << 10));
    private final ServiceKey service = ServiceKey.of(IpProto.TCP, VIP, VPORT);
    private final PacketHeader pkt = new PacketHeader();
    private final Decision decision = new Decision();
    private final FlowSet flows;
    private int nextPort = 1024;

    EngineDemo(int clients, int rate, long seed, PrintWriter out) {
        this.clients = clients;
        this.rate = rate;
        this.random = new SplittableRandom(seed);
        this.out = out;
        // longest flow lives 21 s (plus its last packet): room for every flow that can be open at once
        this.flows = new FlowSet(rate * 22 + 16);
    }

    void run() {
        engine.addService(service, ServiceConfig.persistent("wlc", 300));
        for (int i = 1; i <= 3; i++) {
            engine.addDest(service, IpAddress.parse("10.0.1." + i), VPORT, RealServerConfig.of(1, ForwardMethod.ROUTE));
        }
        IpAddress quiesced = IpAddress.parse("10.0.1.3");
        out.printf("UVS engine demo: %d clients, %d new connections/s, persistent wlc service %s (virtual time)%n%n",
            clients, rate, service);

        runPhase(0, "all three real servers at weight 1");
        engine.editDest(service, quiesced, VPORT, RealServerConfig.of(0, ForwardMethod.ROUTE));
        long before = connsTo(quiesced);
        runPhase(PHASE_SECONDS, "10.0.1.3 quiesced (weight 0), expire_quiescent_template = 0");
        long withoutExpire = connsTo(quiesced) - before;
        engine.setTunable("expire_quiescent_template", "1");
        before = connsTo(quiesced);
        runPhase(2 * PHASE_SECONDS, "10.0.1.3 quiesced, expire_quiescent_template = 1");
        long withExpire = connsTo(quiesced) - before;

        out.println();
        out.printf("new connections to quiesced 10.0.1.3 with expire_quiescent_template=0: %d%n", withoutExpire);
        out.printf("new connections to quiesced 10.0.1.3 with expire_quiescent_template=1: %d%n", withExpire);
        out.printf("connections created: %d, templates created: %d, templates invalidated: %d%n",
            engine.counters().connsCreated(), engine.counters().templatesCreated(),
            engine.counters().templatesInvalidated());
    }

    private long connsTo(IpAddress addr) {
        return engine.service(service).findDest(addr, VPORT).stats().conns();
    }

    private void runPhase(int startSecond, String title) {
        out.printf("== t=%ds: %s%n", startSecond, title);
        int steps = PHASE_SECONDS * 1000 / STEP_MS;
        double perStep = rate * STEP_MS / 1000.0;
        double carry = 0;
        for (int s = 1; s <= steps; s++) {
            clock.advanceMillis(STEP_MS);
            carry += perStep;
            while (carry >= 1) {
                carry -= 1;
                startFlow();
            }
            advanceFlows();
            engine.doWork();
            if (s % (REPORT_EVERY_SECONDS * 1000 / STEP_MS) == 0) {
                report(startSecond + s * STEP_MS / 1000);
            }
        }
    }

    private void startFlow() {
        int client = 0x0a01_0000 + 1 + random.nextInt(clients);
        int port = nextPort;
        nextPort = nextPort == 65535 ? 1024 : nextPort + 1;
        int lifetimeSteps = (2 + random.nextInt(19)) * 1000 / STEP_MS;
        send(client, port, PacketHeader.TCP_SYN);
        flows.add(client, port, lifetimeSteps);
    }

    private void advanceFlows() {
        for (int i = flows.size() - 1; i >= 0; i--) {
            int age = flows.tick(i);
            int client = flows.client(i);
            int port = flows.port(i);
            int life = flows.lifetime(i);
            if (age == 1) {
                send(client, port, PacketHeader.TCP_ACK);
            } else if (age < life && age % (1000 / STEP_MS) == 0) {
                send(client, port, PacketHeader.TCP_ACK | PacketHeader.TCP_PSH);
            } else if (age == life) {
                send(client, port, PacketHeader.TCP_FIN | PacketHeader.TCP_ACK);
            } else if (age > life) {
                send(client, port, PacketHeader.TCP_ACK);
                flows.remove(i);
            }
        }
    }

    private void send(int client, int port, int tcpFlags) {
        pkt.clear().ipv4(IpProto.TCP, client, port, VIP.v4(), VPORT);
        pkt.tcpFlags = tcpFlags;
        pkt.length = 60;
        engine.process(pkt, decision);
        if (decision.verdict != Verdict.FORWARD) {
            throw new IllegalStateException("demo packet not forwarded: " + decision.verdict);
        }
    }

    private void report(int second) {
        VirtualService s = engine.service(service);
        out.printf("t=%4ds  %-20s %6s %10s %10s %11s %6s%n", second, "RemoteAddress:Port", "Weight", "ActiveConn",
            "InActConn", "PersistConn", "CPS");
        RealServer[] list = s.dests().clone();
        java.util.Arrays.sort(list, (a, b) -> a.address().compareTo(b.address()));
        for (RealServer d : list) {
            out.printf("        %-20s %6d %10d %10d %11d %6d%n", d.toString(), d.weight(), d.activeConns(),
                d.inactConns(), d.persistConns(), d.stats().cps());
        }
    }

    /** Open flows as parallel arrays (swap-remove). */
    private static final class FlowSet {
        private final int[] client;
        private final int[] port;
        private final int[] age;
        private final int[] lifetime;
        private int size;

        FlowSet(int capacity) {
            client = new int[capacity];
            port = new int[capacity];
            age = new int[capacity];
            lifetime = new int[capacity];
        }

        void add(int c, int p, int life) {
            client[size] = c;
            port[size] = p;
            age[size] = 0;
            lifetime[size] = life;
            size++;
        }

        int size() {
            return size;
        }

        int tick(int i) {
            return ++age[i];
        }

        int client(int i) {
            return client[i];
        }

        int port(int i) {
            return port[i];
        }

        int lifetime(int i) {
            return lifetime[i];
        }

        void remove(int i) {
            size--;
            client[i] = client[size];
            port[i] = port[size];
            age[i] = age[size];
            lifetime[i] = lifetime[size];
        }
    }
}
