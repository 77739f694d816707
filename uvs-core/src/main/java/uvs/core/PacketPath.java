package uvs.core;

import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.proto.ConnDirection;
import uvs.core.proto.ProtocolHandler;
import uvs.core.proto.Protocols;
import uvs.core.stats.Stats;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.VirtualService;
import uvs.core.tune.Tunables;
import uvs.time.Jiffies;

/**
 * The packet path of the kernel's ip_vs_core.c: a packet finds its connection (or gets one scheduled, with
 * persistence and conn_reuse_mode), moves its state machine and counters, and comes back as a {@link Decision};
 * NAT replies and ICMP errors about connections too. Runs on the engine's owner thread only.
 */
final class PacketPath {
    private final Connections conns;
    private final ConnTable conns4;
    private final ConnTable conns6;
    private final ServiceTable services;
    private final RealServiceIndex realServices;
    private final Persistence persistence;
    private final Defense defense;
    private final Tunables tunables;
    private final Stats total;
    private final EngineCounters counters;
    private final PacketHeader icmpScratch = new PacketHeader();
    private final PacketHeader foldScratch = new PacketHeader();
    // keeps the batch prefetch loads observable to the JIT
    private int prefetchSink;
    private int[] burstHeads = new int[64];
    private boolean backupRunning;

    PacketPath(Connections conns, ConnTable conns4, ConnTable conns6, ServiceTable services,
               RealServiceIndex realServices, Persistence persistence, Defense defense, Tunables tunables, Stats total,
               EngineCounters counters) {
        this.conns = conns;
        this.conns4 = conns4;
        this.conns6 = conns6;
        this.services = services;
        this.realServices = realServices;
        this.persistence = persistence;
        this.defense = defense;
        this.tunables = tunables;
        this.total = total;
        this.counters = counters;
    }

    /** Whether a sync backup daemon runs (backup_only turns the director function off then). */
    void backupRunning(boolean running) {
        this.backupRunning = running;
    }


    /**
     * Decides what to do with one packet and updates the connection it belongs to. Allocation-free in
     * steady state.
     */
    Decision process(PacketHeader p, Decision d) {
        conns.tick();
        return processAtTick(p, d);
    }

    /** {@link #process} at the time of the last {@link Connections#tick()}: a burst reads the clock once. */
    private Decision processAtTick(PacketHeader p, Decision d) {
        d.clear();
        ProtocolHandler ph = Protocols.get(p.protocol);
        if (ph == null) {
            counters.notOurs++;
            return d;
        }
        if (backupRunning && tunables.backupOnly() != 0) {
            // backup_only: the director function is off while the backup daemon runs
            counters.notOurs++;
            return d;
        }
        ConnTable t = p.af == Af.INET ? conns4 : conns6;
        if (p.direction == PacketHeader.DIR_OUTPUT) {
            return processReply(p, d, ph, t);
        }
        int c = t.lookupIn(p.protocol, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
        if (c != ConnTable.NONE) {
            c = checkExisting(p, d, ph, t, c);
            if (d.verdict == Verdict.DROP) {
                return d;
            }
        }
        if (c == ConnTable.NONE) {
            if (!ph.canCreate(p, ph.isSloppy(tunables))) {
                // the kernel lets such a packet continue on its way: it is nobody's connection
                counters.notOurs++;
                return d;
            }
            VirtualService svc = services.find(p.af, p.fwmark, p.protocol, p.dstHi, p.dstLo, p.dstPort);
            if (svc == null) {
                counters.notOurs++;
                return d;
            }
            if (defense.dropNewPacket()) {
                counters.countDrop(DropReason.DROP_PACKET_DEFENSE);
                return d.drop(DropReason.DROP_PACKET_DEFENSE);
            }
            c = schedule(svc, p, t, d);
            if (c == ConnTable.NONE) {
                if (d.verdict == Verdict.NOT_OURS) {
                    leave(svc, p, d);
                }
                if (d.dropReason != DropReason.NONE) {
                    counters.countDrop(d.dropReason);
                }
                return d;
            }
            d.newConnection = true;
            counters.connsCreated++;
        } else if ((t.flags(c) & ConnFlags.NO_CPORT) != 0 && p.srcPort != 0) {
            conns.fillClientPort(t, c, p.srcPort);
        }

        conns.transition(t, c, ph, ConnDirection.INPUT, p);
        RealServer dest = conns.destOf(t, c);
        if (dest != null) {
            dest.stats().countIn(p.length);
            dest.service().stats().countIn(p.length);
        }
        total.countIn(p.length);
        conns.restartTimer(t, c);
        fill(d, t, c, dest);

        if (!conns.afterInputPacket(t, c)) {
            d.conn = ConnTable.NONE;
        }
        return d;
    }

    /**
     * Processes a batch of packets: first touches every packet's hash bucket and connection entry so that
     * their cache misses overlap, then runs {@link #process} on each with one reading of the clock for
     * the whole burst. Same results as calling {@link #process} in order at one instant.
     */
    void process(PacketHeader[] pkts, Decision[] out, int n) {
        int[] heads = burstHeads.length >= n ? burstHeads : (burstHeads = new int[n]);
        for (int i = 0; i < n; i++) {
            PacketHeader p = pkts[i];
            ConnTable t = p.af == Af.INET ? conns4 : conns6;
            heads[i] = p.direction == PacketHeader.DIR_INPUT
                ? t.bucketHead(p.protocol, p.srcHi, p.srcLo, p.srcPort)
                : t.bucketHead(p.protocol, p.dstHi, p.dstLo, p.dstPort);
        }
        int touched = 0;
        for (int i = 0; i < n; i++) {
            if (heads[i] != ConnTable.NONE) {
                touched += (pkts[i].af == Af.INET ? conns4 : conns6).touch(heads[i]);
            }
        }
        prefetchSink += touched;
        conns.tick();
        for (int i = 0; i < n; i++) {
            processAtTick(pkts[i], out[i]);
        }
    }

    /**
     * conn_reuse_mode and expire_nodest_conn for a packet that found a connection; returns the connection
     * to use, NONE to schedule anew, or sets a drop verdict.
     */
    private int checkExisting(PacketHeader p, Decision d, ProtocolHandler ph, ConnTable t, int c) {
        int reuseMode = tunables.connReuseMode();
        RealServer dest = conns.destOf(t, c);
        if (reuseMode != 0 && ph.isNewConnection(p)) {
            boolean resched = false;
            if (tunables.expireNodestConn() != 0 && dest != null && dest.weight() == 0) {
                resched = true;
            } else {
                resched = newConnExpected(ph, t, c, reuseMode);
            }
            if (resched) {
                if (!controlsOthers(t, c)) {
                    conns.expireNow(t, c);
                } else {
                    conns.unhash(t, c);
                }
                counters.connsRescheduled++;
                return ConnTable.NONE;
            }
        }
        if (dest != null && !dest.isAvailable()) {
            if (tunables.expireNodestConn() != 0) {
                conns.expireNow(t, c);
                counters.connsRescheduled++;
                return ConnTable.NONE;
            }
            counters.countDrop(DropReason.DEST_REMOVED);
            d.drop(DropReason.DEST_REMOVED);
            return c;
        }
        return c;
    }

    /** is_new_conn_expected for an entry no template controls. */
    private static boolean newConnExpected(ProtocolHandler ph, ConnTable t, int c, int reuseMode) {
        return t.control(c) == ConnTable.NONE
            && ph.newConnExpected(t.state(c), (t.flags(c) & ConnFlags.NOOUTPUT) != 0, reuseMode);
    }

    private static boolean controlsOthers(ConnTable t, int c) {
        return (t.flags(c) & ConnFlags.TEMPLATE) != 0 && t.nControl(c) > 0;
    }

    /** ip_vs_schedule for a service without persistence, or persistence's own path. */
    private int schedule(VirtualService svc, PacketHeader p, ConnTable t, Decision d) {
        if ((svc.flags() & ServiceFlags.PERSISTENT) != 0) {
            return persistence.schedule(svc, p, t, d);
        }
        if (!svc.key().isFwmark() && p.dstPort != svc.key().port()) {
            // a port-zero service must be persistent: the kernel refuses to schedule it
            d.drop(DropReason.PORT_ZERO_NOT_PERSISTENT);
            return ConnTable.NONE;
        }
        RealServer dest = svc.scheduler().schedule(svc, p);
        if (dest == null) {
            return ConnTable.NONE;
        }
        int flags = svc.config().isOnePacket() && p.protocol == IpProto.UDP ? ConnFlags.ONE_PACKET : 0;
        int dport = dest.port() != 0 ? dest.port() : p.dstPort;
        int c = conns.create(t, p.protocol, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, dest, dport,
            flags, p.fwmark, Jiffies.fromSeconds(Connections.INITIAL_TIMEOUT_SECONDS));
        if (c == ConnTable.NONE) {
            d.drop(DropReason.CONN_TABLE_FULL);
            return c;
        }
        conns.countNew(dest);
        return c;
    }

    /** ip_vs_leave: no real server could be chosen. */
    private void leave(VirtualService svc, PacketHeader p, Decision d) {
        if (tunables.cacheBypass() != 0 && svc.key().isFwmark()) {
            d.verdict = Verdict.BYPASS;
            return;
        }
        if (!svc.key().isFwmark() && svc.key().port() == ServiceTable.FTP_PORT && p.dstPort != ServiceTable.FTP_PORT) {
            counters.notOurs++;
            return;
        }
        d.verdict = Verdict.ICMP_UNREACHABLE;
        d.dropReason = DropReason.NO_DESTINATION;
    }

    /**
     * An ICMP error (destination unreachable, source quench, time exceeded) about a connection
     * (ip_vs_in_icmp / ip_vs_out_icmp). {@code embedded} is the packet quoted inside the error, as it was
     * sent. With {@code direction} INPUT the error came from the client side about a packet the director
     * sent to the client: the answer is {@link Verdict#FORWARD} toward that connection's real server. With
     * OUTPUT it came from a real server about a packet of a NAT connection: the answer is
     * {@link Verdict#FORWARD_REPLY} (translate back to the virtual address). Errors about no known
     * connection are not ours, unless schedule_icmp lets an inbound one create its connection.
     */
    Decision processIcmpError(PacketHeader embedded, int direction, Decision d) {
        d.clear();
        conns.tick();
        ProtocolHandler ph = Protocols.get(embedded.protocol);
        if (ph == null) {
            counters.notOurs++;
            return d;
        }
        ConnTable t = embedded.af == Af.INET ? conns4 : conns6;
        PacketHeader e = embedded;
        if (direction == PacketHeader.DIR_OUTPUT) {
            int c = t.lookupOut(e.protocol, e.dstHi, e.dstLo, e.dstPort, e.srcHi, e.srcLo, e.srcPort);
            if (c == ConnTable.NONE) {
                counters.notOurs++;
                return d;
            }
            fill(d, t, c, conns.destOf(t, c));
            d.verdict = Verdict.FORWARD_REPLY;
            return d;
        }
        // the quoted packet went director -> client: its destination is the client
        int c = t.lookupIn(e.protocol, e.dstHi, e.dstLo, e.dstPort, e.srcHi, e.srcLo, e.srcPort);
        if (c == ConnTable.NONE && tunables.scheduleIcmp() != 0) {
            VirtualService svc = services.find(e.af, e.fwmark, e.protocol, e.srcHi, e.srcLo, e.srcPort);
            if (svc != null) {
                PacketHeader q = icmpScratch.clear();
                q.af = e.af;
                q.protocol = e.protocol;
                q.srcHi = e.dstHi;
                q.srcLo = e.dstLo;
                q.srcPort = e.dstPort;
                q.dstHi = e.srcHi;
                q.dstLo = e.srcLo;
                q.dstPort = e.srcPort;
                q.fwmark = e.fwmark;
                c = schedule(svc, q, t, d);
                if (c != ConnTable.NONE) {
                    d.newConnection = true;
                    counters.connsCreated++;
                }
            }
        }
        if (c == ConnTable.NONE) {
            if (d.dropReason != DropReason.NONE) {
                counters.countDrop(d.dropReason);
                return d;
            }
            counters.notOurs++;
            return d;
        }
        boolean created = d.newConnection;
        fill(d, t, c, conns.destOf(t, c));
        d.newConnection = created;
        return d;
    }

    /**
     * Folds packets that the XDP fast path forwarded for connection {@code c} into the engine, as if they had been
     * processed here one by one, the last of them at {@code lastSeenNanos} (engine clock): counters of the real
     * server, its service and the total; the state machine with the event of an ACK or data segment (which
     * leaves an established connection established, clears NOOUTPUT on a reply and reloads the timeout);
     * in_pkts and the sync master's decision for every input packet; the timer restarted from the last packet.
     * See {@link Engine#foldOffloaded}.
     */
    int fold(ConnTable t, int c, long inPkts, long inBytes, long outPkts, long outBytes, long lastSeenNanos) {
        int protocol = t.protocol(c);
        if ((protocol != IpProto.TCP && protocol != IpProto.UDP) || inPkts < 0 || outPkts < 0 || inBytes < 0
            || outBytes < 0 || (t.flags(c) & (ConnFlags.TEMPLATE | ConnFlags.ONE_PACKET)) != 0) {
            return Engine.FOLD_REFUSED;
        }
        if (inPkts == 0 && outPkts == 0) {
            return Engine.FOLDED;
        }
        RealServer dest = conns.destOf(t, c);
        if (dest != null && !dest.isAvailable()) {
            // expire_nodest_conn or the drop happen on a packet through UVS, as in IPVS
            return Engine.FOLD_DEST_UNAVAILABLE;
        }
        int now = conns.tick();
        int last = Jiffies.fromNanos(lastSeenNanos);
        if (last - now > 0) {
            last = now;
        }
        ProtocolHandler ph = Protocols.get(protocol);
        PacketHeader p = foldScratch.clear();
        p.af = t == conns4 ? Af.INET : Af.INET6;
        p.protocol = protocol;
        p.tcpFlags = PacketHeader.TCP_ACK;
        if (outPkts > 0) {
            if (dest != null) {
                dest.stats().countOut(outPkts, outBytes);
                dest.service().stats().countOut(outPkts, outBytes);
            }
            total.countOut(outPkts, outBytes);
            p.direction = PacketHeader.DIR_OUTPUT;
            conns.transition(t, c, ph, ConnDirection.OUTPUT, p);
        }
        if (inPkts > 0) {
            p.direction = PacketHeader.DIR_INPUT;
            conns.transition(t, c, ph, ConnDirection.INPUT, p);
            if (dest != null) {
                dest.stats().countIn(inPkts, inBytes);
                dest.service().stats().countIn(inPkts, inBytes);
            }
            total.countIn(inPkts, inBytes);
        }
        t.arm(c, last + t.timeout(c));
        conns.countInputPackets(t, c, inPkts);
        return Engine.FOLDED;
    }

    /** A NAT reply (real server → client): find the connection by its real-server side. */
    private Decision processReply(PacketHeader p, Decision d, ProtocolHandler ph, ConnTable t) {
        int c = t.lookupOut(p.protocol, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
        if (c == ConnTable.NONE) {
            if (tunables.natIcmpSend() != 0 && !ph.isReset(p)
                && realServices.has(p.af, p.protocol, p.srcHi, p.srcLo, p.srcPort)) {
                // a NAT real server answering for a connection we do not know: tell it so
                d.verdict = Verdict.ICMP_UNREACHABLE;
                d.dropReason = DropReason.NO_CONNECTION;
                counters.countDrop(DropReason.NO_CONNECTION);
                return d;
            }
            counters.notOurs++;
            return d;
        }
        RealServer dest = conns.destOf(t, c);
        if (dest != null) {
            dest.stats().countOut(p.length);
            dest.service().stats().countOut(p.length);
        }
        total.countOut(p.length);
        conns.transition(t, c, ph, ConnDirection.OUTPUT, p);
        conns.restartTimer(t, c);
        fill(d, t, c, dest);
        d.verdict = Verdict.FORWARD_REPLY;
        return d;
    }

    private void fill(Decision d, ConnTable t, int c, RealServer dest) {
        d.table = t;
        d.conn = c;
        d.dest = dest;
        int flags = t.flags(c);
        d.connFlags = flags;
        d.daddrHi = t.daddrHi(c);
        d.daddrLo = t.daddrLo(c);
        d.dport = t.dport(c);
        d.vaddrHi = t.vaddrHi(c);
        d.vaddrLo = t.vaddrLo(c);
        d.vport = t.vport(c);
        d.verdict = switch (flags & ConnFlags.FWD_MASK) {
            case ConnFlags.LOCALNODE -> Verdict.LOCAL;
            case ConnFlags.BYPASS -> Verdict.BYPASS;
            default -> Verdict.FORWARD;
        };
    }
}
