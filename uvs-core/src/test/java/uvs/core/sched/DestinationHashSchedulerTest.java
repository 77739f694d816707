package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.RealServer;

class DestinationHashSchedulerTest {
    private final SchedFixture f = new SchedFixture("dh");
    private final DestinationHashScheduler dh = f.use(new DestinationHashScheduler(f.svc));

    @Test
    void shouldFillBucketsCircularlyOnePerDestIgnoringWeights() {
        RealServer a = f.add("10.0.0.1", 5);
        RealServer b = f.add("10.0.0.2", 1);
        // list B, A: even buckets B, odd buckets A
        assertThat(dh.bucket(0)).isSameAs(b);
        assertThat(dh.bucket(1)).isSameAs(a);
        assertThat(dh.bucket(254)).isSameAs(b);
        assertThat(dh.bucket(255)).isSameAs(a);
        assertThat(dh.name()).isEqualTo("dh");
    }

    @Test
    void shouldHashDestinationAddress() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        // 0.0.0.1: 1 * 0x61C88647 = 0x61C88647, top 8 bits 0x61 = 97 (odd → A)
        assertThat(f.pick("198.51.100.9", 1000, "0.0.0.1")).isSameAs(a);
        // 0.0.0.2: 2 * 0x61C88647 = 0xC3910C8E → 0xC3 = 195 (odd → A)
        assertThat(f.pick("198.51.100.9", 1000, "0.0.0.2")).isSameAs(a);
        // 192.0.2.10 = 0xC000020A; × 0x61C88647 mod 2^32 = 0xA2E1CCC6 → 0xA2 = 162 (even → B)
        assertThat(f.pick("198.51.100.9", 1000, "192.0.2.10")).isSameAs(b);
        // the source address does not matter
        assertThat(f.pick("203.0.113.99", 7, "192.0.2.10")).isSameAs(b);
    }

    @Test
    void shouldRebuildOnAddAndRemove() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        // list C, B, A: bucket 97 → 97 mod 3 = 1 → B; bucket 162 → 0 → C
        assertThat(f.pick("198.51.100.9", 1000, "0.0.0.1")).isSameAs(b);
        assertThat(f.pick("198.51.100.9", 1000, "192.0.2.10")).isSameAs(c);
        f.remove(c);
        // list B, A again
        assertThat(f.pick("198.51.100.9", 1000, "0.0.0.1")).isSameAs(a);
        assertThat(f.pick("198.51.100.9", 1000, "192.0.2.10")).isSameAs(b);
    }

    @Test
    void shouldGiveNoDestWhenBucketDestUnusable() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        f.weight(a, 0);
        // no rebuild on edit and no fallback: bucket 97 still holds A
        assertThat(dh.bucket(97)).isSameAs(a);
        assertThat(f.pick("198.51.100.9", 1000, "0.0.0.1")).isNull();
        f.weight(a, 1);
        a.overloaded(true);
        assertThat(f.pick("198.51.100.9", 1000, "0.0.0.1")).isNull();
        a.overloaded(false);
        a.available(false);
        assertThat(f.pick("198.51.100.9", 1000, "0.0.0.1")).isNull();
        assertThat(f.pick("198.51.100.9", 1000, "192.0.2.10")).isSameAs(b);
    }

    @Test
    void shouldHashFoldedIpv6Address() {
        RealServer a = f.add("10.0.0.1", 1);
        f.add("10.0.0.2", 1);
        IpAddress dst = IpAddress.parse("2001:db8::7");
        // fold = 0x20010db8 ^ 0 ^ 0 ^ 0x7 = 0x20010dbf; hash_32(0x20010dbf, 8) = 137 (odd → A)
        f.pkt.clear().ipv6(IpProto.TCP, 0x2001_0db8_0000_0000L, 0x99, 1000, dst.hi(), dst.lo(), 80);
        assertThat(dh.schedule(f.svc, f.pkt)).isSameAs(a);
    }

    @Test
    void shouldReturnNullWhenEmpty() {
        assertThat(f.pick()).isNull();
        RealServer a = f.add("10.0.0.1", 1);
        f.remove(a);
        assertThat(f.pick()).isNull();
    }
}
