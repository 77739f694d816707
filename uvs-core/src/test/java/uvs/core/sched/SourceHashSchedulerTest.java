package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceFlags;

class SourceHashSchedulerTest {
    // 203.0.113.7 = 0xCB007107; × 0x61C88647 mod 2^32 = 0x7CC102F1 → top 8 bits 0x7C = 124 (spec check value)
    private static final String CLIENT = "203.0.113.7";
    private static final int CLIENT_BUCKET = 124;

    private final SchedFixture f = new SchedFixture("sh");
    private final SourceHashScheduler sh = f.use(new SourceHashScheduler(f.svc));

    @Test
    void shouldMatchSpecCheckBucket() {
        assertThat(SourceHashScheduler.hashKey(IpAddress.parse(CLIENT).v4(), 0, 0)).isEqualTo(CLIENT_BUCKET);
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        // list C, B, A, one bucket each: 124 mod 3 = 1 → B
        assertThat(f.pick(CLIENT, 5555, "192.0.2.1")).isSameAs(b);
        assertThat(sh.name()).isEqualTo("sh");
        assertThat(a).isNotSameAs(c);
    }

    @Test
    void shouldGiveEachDestWeightConsecutiveBuckets() {
        RealServer y = f.add("10.0.0.1", 1);
        RealServer x = f.add("10.0.0.2", 2);
        // list X(2), Y(1): X X Y X X Y … ; 256 = 3·85 + 1 so bucket 255 is X
        assertThat(sh.bucket(0)).isSameAs(x);
        assertThat(sh.bucket(1)).isSameAs(x);
        assertThat(sh.bucket(2)).isSameAs(y);
        assertThat(sh.bucket(3)).isSameAs(x);
        assertThat(sh.bucket(254)).isSameAs(y);
        assertThat(sh.bucket(255)).isSameAs(x);
        // 124 mod 3 = 1 → X
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(x);
    }

    @Test
    void shouldGiveWeightZeroDestOneBucketAndNoDest() {
        RealServer z = f.add("10.0.0.3", 1);
        RealServer y = f.add("10.0.0.2", 1);
        RealServer x = f.add("10.0.0.1", 2);
        f.weight(y, 0);
        // rebuilt on edit: X X Y Z per round of 4
        assertThat(sh.bucket(2)).isSameAs(y);
        assertThat(sh.bucket(3)).isSameAs(z);
        assertThat(sh.bucket(4)).isSameAs(x);
        // 203.0.113.8: 0x7CC102F1 + 0x61C88647 = 0xDE898938 → 222; 222 mod 4 = 2 → Y (weight 0)
        assertThat(f.pick("203.0.113.8", 0, "192.0.2.1")).isNull();
        // 124 mod 4 = 0 → X
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(x);
    }

    @Test
    void shouldHashSourcePortOnlyWithShPort() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        // without sh-port: port ignored → bucket 124 → B
        assertThat(f.pick(CLIENT, 1, "192.0.2.1")).isSameAs(b);
        f.flags(ServiceFlags.SCHED2);
        // with sh-port: hash_32(1 + 0xCB007107) = hash of 0xCB007108 = 222 → 222 mod 3 = 0 → C
        assertThat(f.pick(CLIENT, 1, "192.0.2.1")).isSameAs(c);
        // port 0 is the same as without the flag
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(b);
        // ICMP has no ports: hashed with port 0
        f.pkt.clear().ipv4(IpProto.ICMP, IpAddress.parse(CLIENT).v4(), 1, IpAddress.parse("192.0.2.1").v4(), 0);
        assertThat(sh.schedule(f.svc, f.pkt)).isSameAs(b);
        assertThat(a.weight()).isEqualTo(1);
    }

    @Test
    void shouldFallBackOnlyWithShFallback() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        b.overloaded(true);
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isNull();
        f.flags(ServiceFlags.SCHED1);
        // k = 0: roffset = 124, bucket (124 + 124) & 255 = 248 → 248 mod 3 = 2 → A
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(a);
        a.overloaded(true);
        // k = 1: roffset 125, bucket 249 → 0 → C
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(c);
        c.overloaded(true);
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isNull();
    }

    @Test
    void shouldFallBackFromWeightZeroDest() {
        RealServer z = f.add("10.0.0.3", 1);
        RealServer y = f.add("10.0.0.2", 0);
        RealServer x = f.add("10.0.0.1", 2);
        f.flags(ServiceFlags.SCHED1);
        // 203.0.113.8 → 222 → Y (weight 0); k = 0: (222 + 222) & 255 = 188, 188 mod 4 = 0 → X
        assertThat(f.pick("203.0.113.8", 0, "192.0.2.1")).isSameAs(x);
        assertThat(z).isNotSameAs(y);
    }

    @Test
    void shouldHashFoldedIpv6Source() {
        RealServer a = f.add("10.0.0.1", 1);
        f.add("10.0.0.2", 1);
        IpAddress src = IpAddress.parse("2001:db8::7");
        // fold 0x20010dbf → hash_32(·, 8) = 137: odd → A (list B, A)
        f.pkt.clear().ipv6(IpProto.TCP, src.hi(), src.lo(), 1000, 0x2001_0db8_0000_0000L, 1, 80);
        assertThat(sh.schedule(f.svc, f.pkt)).isSameAs(a);
    }

    @Test
    void shouldReturnNullWhenEmpty() {
        assertThat(f.pick()).isNull();
        f.flags(ServiceFlags.SCHED1 | ServiceFlags.SCHED2);
        assertThat(f.pick()).isNull();
    }
}
