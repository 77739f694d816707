package uvs.sync.ext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.proto.Protocols;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.backup.SyncBackup;
import uvs.sync.master.SyncMaster;
import uvs.sync.master.SyncSender;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.time.ManualClock;

/**
 * Test rig: a master engine and a backup engine on one virtual clock, joined by a sync master, its sender, an
 * {@link InMemorySyncTransport} and a sync backup, with seeded client traffic and views of both tables.
 */
final class SyncRig {
    static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    static final ServiceKey HTTP = ServiceKey.of(IpProto.TCP, VIP, 80);
    static final ServiceKey HTTPS = ServiceKey.of(IpProto.TCP, VIP, 443);
    static final ServiceKey DNS = ServiceKey.of(IpProto.UDP, VIP, 53);
    static final ServiceKey SIP = ServiceKey.of(IpProto.UDP, VIP, 5060);
    static final int SYN = PacketHeader.TCP_SYN;
    static final int ACK = PacketHeader.TCP_ACK;
    static final int FIN = PacketHeader.TCP_FIN | PacketHeader.TCP_ACK;
    static final byte[] KEY =
        HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    final ManualClock clock = new ManualClock();
    final Engine masterEngine;
    Engine backupEngine;
    final InMemorySyncTransport wire;
    SyncMaster master;
    SyncSender sender;
    SyncBackup backup;
    private final PacketHeader p = new PacketHeader();
    private final Decision d = new Decision();

    /** One client flow: its packets (TCP flags, or 0 for a UDP datagram) and how many went. */
    static final class Flow {
        final ServiceKey svc;
        final int client;
        final int cport;
        final int[] packets;
        final String callId;
        int sent;

        Flow(ServiceKey svc, int client, int cport, int[] packets, String callId) {
            this.svc = svc;
            this.client = client;
            this.cport = cport;
            this.packets = packets;
            this.callId = callId;
        }
    }

    SyncRig(int ports, long seed, double lossPercent, double replyLossPercent) {
        masterEngine = engine(ports, false);
        backupEngine = engine(ports, true);
        wire = new InMemorySyncTransport(ports, InMemorySyncTransport.DEFAULT_BYTES_PER_PORT, seed, lossPercent,
            replyLossPercent);
    }

    Engine engine(int ports, boolean isBackup) {
        Engine e = new Engine(clock, EngineConfig.defaults().withCapacity(1 << 14, 256));
        e.setTunable("sync_ports", Integer.toString(ports));
        e.addService(HTTP, ServiceConfig.of("wlc"));
        e.addService(HTTPS, ServiceConfig.persistent("rr", 360));
        e.addService(DNS, ServiceConfig.of("rr"));
        e.addService(SIP, ServiceConfig.persistent("rr", 360).withPe("sip"));
        for (int i = 1; i <= 3; i++) {
            IpAddress rs = IpAddress.parse("10.2.0." + i);
            e.addDest(HTTP, rs, 80, RealServerConfig.of(i, isBackup ? ForwardMethod.TUNNEL : ForwardMethod.ROUTE));
            e.addDest(HTTPS, rs, 443, RealServerConfig.of(1, ForwardMethod.ROUTE));
            e.addDest(DNS, rs, 53, RealServerConfig.of(1, ForwardMethod.MASQ));
            e.addDest(SIP, rs, 5060, RealServerConfig.of(1, ForwardMethod.ROUTE));
        }
        return e;
    }

    /** Starts a master (sender id {@code masterId}) and a backup (sender id {@code backupId}). */
    SyncRig start(SyncDaemonConfig masterConfig, SyncDaemonConfig backupConfig, int masterId, int backupId) {
        startMaster(masterConfig, masterId);
        startBackup(backupConfig, backupId);
        return this;
    }

    void startMaster(SyncDaemonConfig config, int id) {
        master = new SyncMaster(masterEngine, config, 258, id);
        sender = master.sender(wire);
        master.start();
    }

    void startBackup(SyncDaemonConfig config, int id) {
        backup = new SyncBackup(backupEngine, config, wire, 1500, id);
        backup.start();
    }

    /** Runs both daemons until neither has anything left to do now. */
    void pump() {
        masterEngine.doWork();
        backupEngine.doWork();
        int rounds = 0;
        while ((master.doWork(masterEngine.nowJiffies()) + sender.doWork() + backup.doWork()) > 0) {
            if (++rounds > 100_000) {
                throw new IllegalStateException("sync daemons never go idle");
            }
        }
    }

    /** Lets {@code millis} of virtual time pass in steps of {@code stepMillis}, pumping after each. */
    void idle(long millis, long stepMillis) {
        for (long t = 0; t < millis; t += stepMillis) {
            clock.advanceMillis(stepMillis);
            pump();
        }
    }

    /** Idles in 20 ms steps until {@code done} holds; false if it did not within {@code maxMillis}. */
    boolean idleUntil(BooleanSupplier done, long maxMillis) {
        for (long t = 0; t < maxMillis; t += 20) {
            if (done.getAsBoolean()) {
                return true;
            }
            clock.advanceMillis(20);
            pump();
        }
        return done.getAsBoolean();
    }

    /** A seeded mix of flows: SYN only, established, closing, UDP, persistent TCP, SIP with Call-IDs. */
    static List<Flow> flows(long seed, int count, int firstClient) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int client = firstClient + i;
            int cport = 1024 + rnd.nextInt(60000);
            int kind = rnd.nextInt(100);
            if (kind < 15) {
                flows.add(new Flow(HTTP, client, cport, tcp(1 + rnd.nextInt(2), 0, false), null));
            } else if (kind < 50) {
                flows.add(new Flow(HTTP, client, cport, tcp(1, rnd.nextInt(121), false), null));
            } else if (kind < 65) {
                flows.add(new Flow(HTTP, client, cport, tcp(1, 1 + rnd.nextInt(60), true), null));
            } else if (kind < 85) {
                flows.add(new Flow(DNS, client, cport, new int[1 + rnd.nextInt(120)], null));
            } else if (kind < 95) {
                flows.add(new Flow(HTTPS, client, cport, tcp(1, rnd.nextInt(61), rnd.nextBoolean()), null));
            } else {
                flows.add(new Flow(SIP, client, cport, new int[1 + rnd.nextInt(10)], "call-" + client));
            }
        }
        return flows;
    }

    private static int[] tcp(int syns, int acks, boolean fin) {
        int n = syns + acks + (fin ? 2 : 0);
        int[] f = new int[n];
        for (int i = 0; i < n; i++) {
            f[i] = i < syns ? SYN : i < syns + acks ? ACK : i == syns + acks ? FIN : ACK;
        }
        return f;
    }

    /** Sends the flows' packets interleaved at random, 1 ms apart, pumping the daemons every 10 packets. */
    void run(List<Flow> flows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5A5A);
        List<Flow> active = new ArrayList<>(flows);
        int step = 0;
        while (!active.isEmpty()) {
            int i = rnd.nextInt(active.size());
            Flow f = active.get(i);
            packet(f.svc, f.client, f.cport, f.packets[f.sent++], f.callId);
            if (f.sent == f.packets.length) {
                active.set(i, active.get(active.size() - 1));
                active.remove(active.size() - 1);
            }
            clock.advanceMillis(1);
            if (++step % 10 == 0) {
                pump();
            }
        }
    }

    /** One client packet through the master engine. */
    void packet(ServiceKey svc, int client, int cport, int tcpFlags, String callId) {
        p.clear().ipv4(svc.protocol(), client, cport, VIP.v4(), svc.port());
        if (svc.protocol() == IpProto.TCP) {
            p.tcpFlags = tcpFlags;
        } else if (callId != null) {
            p.payload = ("INVITE sip:a@b SIP/2.0\r\nCall-ID: " + callId + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
            p.payloadLength = p.payload.length;
        }
        masterEngine.process(p, d);
    }

    /**
     * The backup's table: key (protocol, client, client port, virtual port, template or not) to state, real
     * server, port and PE data.
     */
    TreeMap<String, String> backupView() {
        return view(backupEngine, false);
    }

    /** The entries of the master's table a backup should hold: templates and conns in a synced state. */
    TreeMap<String, String> masterSyncedView() {
        return view(masterEngine, true);
    }

    private static TreeMap<String, String> view(Engine e, boolean syncedOnly) {
        TreeMap<String, String> m = new TreeMap<>();
        ConnTable t = e.conns4();
        byte[] pe = new byte[255];
        for (int c = t.next(0); c != ConnTable.NONE; c = t.next(c + 1)) {
            int flags = t.flags(c);
            boolean template = (flags & ConnFlags.TEMPLATE) != 0;
            if (syncedOnly && !template) {
                int proto = t.protocol(c);
                boolean stateful = proto == IpProto.TCP || proto == IpProto.SCTP;
                if ((flags & ConnFlags.ONE_PACKET) != 0
                    || (stateful && !Protocols.get(proto).isSyncState(t.state(c)))) {
                    continue;
                }
            }
            int n = template ? e.peData(t, c, pe) : 0;
            m.put(t.protocol(c) + "/" + Long.toHexString(t.caddrLo(c)) + ":" + t.cport(c) + "/" + t.vport(c)
                    + (template ? "/T" : ""),
                "state=" + t.state(c) + " rs=" + Long.toHexString(t.daddrLo(c)) + ":" + t.dport(c) + " pe="
                    + new String(pe, 0, n, StandardCharsets.US_ASCII));
        }
        return m;
    }

    /** Reliable-mode config of the given role with the test key when {@code auth}. */
    static SyncDaemonConfig reliable(SyncDaemonConfig base, boolean auth) {
        SyncDaemonConfig c = base.withReliable(true);
        return auth ? c.withAuthKey(KEY) : c;
    }
}
