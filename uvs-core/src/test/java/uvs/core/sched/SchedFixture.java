package uvs.core.sched;

import java.util.random.RandomGenerator;
import uvs.core.PacketHeader;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.time.Jiffies;
import uvs.time.ManualClock;

/** A service and helpers that change its real-server list the way the engine does (list op, then hook). */
final class SchedFixture {
    final VirtualService svc;
    final ManualClock clock = new ManualClock();
    final PacketHeader pkt = new PacketHeader();
    Scheduler sched;

    SchedFixture() {
        this("wlc");
    }

    SchedFixture(String scheduler) {
        svc = new VirtualService(ServiceKey.of(IpProto.TCP, IpAddress.parse("192.0.2.1"), 80),
            ServiceConfig.of(scheduler));
    }

    /** A fixed context on this fixture's clock with 24 h expirations. */
    SchedulerContext context(RandomGenerator random) {
        return SchedulerContext.fixed(clock, random);
    }

    /** A context on this fixture's clock with the given lblc / lblcr expirations in seconds. */
    SchedulerContext context(RandomGenerator random, int lblcExpirationSeconds, int lblcrExpirationSeconds) {
        return new SchedulerContext() {
            @Override
            public int nowJiffies() {
                return Jiffies.fromNanos(clock.nanoTime());
            }

            @Override
            public RandomGenerator random() {
                return random;
            }

            @Override
            public int lblcExpirationJiffies() {
                return Jiffies.fromSeconds(lblcExpirationSeconds);
            }

            @Override
            public int lblcrExpirationJiffies() {
                return Jiffies.fromSeconds(lblcrExpirationSeconds);
            }
        };
    }

    /** Engine time of this fixture's clock. */
    int now() {
        return Jiffies.fromNanos(clock.nanoTime());
    }

    /** Uses {@code s} for the hooks of later list changes. */
    <S extends Scheduler> S use(S s) {
        sched = s;
        svc.scheduler(s);
        return s;
    }

    /** Adds {@code addr:80} with {@code weight} at the head of the list. */
    RealServer add(String addr, int weight) {
        return add(addr, 80, weight);
    }

    /** Adds {@code addr:port} with {@code weight} at the head of the list. */
    RealServer add(String addr, int port, int weight) {
        RealServer d = new RealServer(svc, IpAddress.parse(addr), port);
        d.configure(RealServerConfig.of(weight, ForwardMethod.ROUTE));
        d.available(true);
        svc.addDestAtHead(d);
        if (sched != null) {
            sched.onDestAdded(svc, d);
        }
        return d;
    }

    /** Removes {@code d} from the list. */
    void remove(RealServer d) {
        int idx = svc.removeDest(d);
        d.available(false);
        if (sched != null) {
            sched.onDestRemoved(svc, d, idx);
        }
    }

    /** Changes the weight of {@code d}. */
    void weight(RealServer d, int weight) {
        d.configure(RealServerConfig.of(weight, ForwardMethod.ROUTE));
        if (sched != null) {
            sched.onDestUpdated(svc, d);
        }
    }

    /** Sets the scheduler flags of the service. */
    void flags(int flags) {
        svc.config(svc.config().withFlags(flags));
        if (sched != null) {
            sched.onServiceUpdated(svc);
        }
    }

    /** Schedules a TCP packet from {@code src:sport} to {@code dst:80}. */
    RealServer pick(String src, int sport, String dst) {
        pkt.clear().ipv4(IpProto.TCP, IpAddress.parse(src).v4(), sport, IpAddress.parse(dst).v4(), 80);
        return sched.schedule(svc, pkt);
    }

    /** Schedules a packet with no particular addresses. */
    RealServer pick() {
        return pick("198.51.100.1", 1024, "192.0.2.1");
    }

    /** {@code count} picks in a row, as a string of their names (e.g. "AABC"). */
    String sequence(int count, RealServer... named) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            RealServer d = pick();
            sb.append(d == null ? "-" : nameOf(d, named));
        }
        return sb.toString();
    }

    private static String nameOf(RealServer d, RealServer[] named) {
        for (int i = 0; i < named.length; i++) {
            if (named[i] == d) {
                return String.valueOf((char) ('A' + i));
            }
        }
        return "?";
    }
}
