package uvs.bench;

import java.util.SplittableRandom;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.master.SyncMaster;
import uvs.sync.master.SyncSender;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.time.ManualClock;

/**
 * Sync traffic of a short-connection workload on the real master code, in virtual time: a persistent
 * wlc service (300 s) with 10 real servers, returning clients opening connections of 10 packets
 * (SYN, ACK, 7 data, FIN) 100 ms apart. Counts what the master puts on the wire under a given set of
 * sync tunables.
 */
final class SyncTraffic {
    /** What one run sent. */
    record Result(String mode, long connections, long datagrams, long payloadBytes, long entries) {
        /** Wire bytes including IPv4 + UDP headers (28 bytes per datagram). */
        long wireBytes() {
            return payloadBytes + 28L * datagrams;
        }

        double bytesPerConnection() {
            return (double) wireBytes() / connections;
        }

        double entriesPerConnection() {
            return (double) entries / connections;
        }
    }

    private SyncTraffic() {
    }

    static Result run(String mode, String[][] tunables, int clients, int connections, long seed) {
        ManualClock clock = new ManualClock();
        Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(1 << 20, 1 << 10));
        for (String[] t : tunables) {
            engine.setTunable(t[0], t[1]);
        }
        ServiceKey svc = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 80);
        engine.addService(svc, ServiceConfig.persistent("wlc", 300));
        for (int i = 1; i <= 10; i++) {
            engine.addDest(svc, IpAddress.v4(0x0a02_0000 + i), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        }
        SyncMaster master = new SyncMaster(engine, SyncDaemonConfig.master());
        InMemorySyncTransport wire = new InMemorySyncTransport(1, 64 << 20, seed, 0);
        SyncSender sender = master.sender(wire);
        master.start();

        PacketHeader p = new PacketHeader();
        Decision d = new Decision();
        SplittableRandom r = new SplittableRandom(seed);
        int[] flags = new int[10];
        flags[0] = PacketHeader.TCP_SYN;
        for (int i = 1; i < 9; i++) {
            flags[i] = PacketHeader.TCP_ACK;
        }
        flags[9] = PacketHeader.TCP_FIN | PacketHeader.TCP_ACK;
        // 100 new connections per second of virtual time, interleaved packet by packet
        int perTick = 10;
        int[] client = new int[perTick * 10];
        int[] port = new int[perTick * 10];
        int nextPort = 1024;
        long opened = 0;
        int ticks = (connections + perTick - 1) / perTick + 10;
        for (int tick = 0; tick < ticks; tick++) {
            clock.advanceMillis(100);
            // slot k holds connections that started k ticks ago
            int base = (tick % 10) * perTick;
            for (int k = 0; k < perTick && opened < connections; k++) {
                client[base + k] = 0x0b00_0000 + r.nextInt(clients);
                port[base + k] = nextPort;
                nextPort = nextPort == 65535 ? 1024 : nextPort + 1;
                opened++;
            }
            for (int age = 0; age < 10; age++) {
                int slot = ((tick - age) % 10 + 10) % 10 * perTick;
                if (tick - age < 0) {
                    continue;
                }
                for (int k = 0; k < perTick; k++) {
                    if (client[slot + k] == 0) {
                        continue;
                    }
                    p.clear().ipv4(IpProto.TCP, client[slot + k], port[slot + k], 0x0a01_0101, 80);
                    p.tcpFlags = flags[age];
                    p.length = 200;
                    engine.process(p, d);
                }
            }
            // the oldest slot is done; it is refilled next tick
            int done = ((tick - 9) % 10 + 10) % 10 * perTick;
            if (tick >= 9) {
                for (int k = 0; k < perTick; k++) {
                    client[done + k] = 0;
                }
            }
            engine.doWork();
            master.doWork(engine.nowJiffies());
            sender.doWork();
        }
        clock.advanceSeconds(3);
        engine.doWork();
        master.doWork(engine.nowJiffies());
        sender.doWork();
        return new Result(mode, opened, master.counters().messagesSent(), master.counters().bytesSent(),
            master.counters().entriesSent());
    }
}
