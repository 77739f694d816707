package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.net.sys.IfPacket;
import uvs.net.sys.Netns;
import uvs.net.sys.NetnsFixture;

/** Root tests: a veth pair v0/v1 inside a private namespace; frames go from v0 sockets to v1 sockets only. */
@Tag("root")
class AfPacketIoTest {
    private static final AfPacketIo.Options SMALL = AfPacketIo.Options.DEFAULT.withRing(4096, 4, 1);
    private static NetnsFixture ns;
    private static long v1Mac;

    private record Received(byte[] bytes, byte type, int socket) {
    }

    @BeforeAll
    static void createNamespace() throws Exception {
        ns = NetnsFixture.create();
        try {
            ns.vethPair("v0", "v1");
            v1Mac = ns.mac("v1");
        } catch (Exception | Error e) {
            ns.close();
            ns = null;
            throw e;
        }
    }

    @AfterAll
    static void deleteNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    private static AfPacketIo open(String ifname, AfPacketIo.Options opts) throws Exception {
        return Netns.call(ns.name, () -> AfPacketIo.open(ifname, opts));
    }

    /** Queues every frame (flushing full batches) and flushes; returns how many the kernel took. */
    private static int send(AfPacketIo tx, Arena arena, List<byte[]> frames) {
        int sent = 0;
        for (byte[] f : frames) {
            MemorySegment s = arena.allocate(f.length);
            MemorySegment.copy(f, 0, s, JAVA_BYTE, 0, f.length);
            if (!tx.transmit(s.address(), f.length)) {
                sent += tx.flush();
                tx.transmit(s.address(), f.length);
            }
        }
        return sent + tx.flush();
    }

    /** Test frames received by any of {@code sockets} until {@code expected} arrived or {@code millis} passed. */
    private static List<Received> collect(List<AfPacketIo> sockets, RxFrames batch, int expected, long millis) {
        List<Received> got = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (got.size() < expected && System.nanoTime() < deadline) {
            for (int s = 0; s < sockets.size(); s++) {
                AfPacketIo io = sockets.get(s);
                io.await(sockets.size() == 1 ? 5 : 1);
                int n = io.receive(batch);
                assertThat(n).isLessThanOrEqualTo(batch.capacity());
                for (int i = 0; i < n; i++) {
                    byte[] bytes = InMemoryPacketIo.read(batch.address[i], batch.length[i]);
                    if (MarkedFrames.idOf(bytes) >= 0) {
                        got.add(new Received(bytes, batch.packetType[i], s));
                    }
                }
                io.releaseReceived();
            }
        }
        return got;
    }

    private static List<byte[]> rawFrames(int from, int count, int size) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            frames.add(MarkedFrames.raw(v1Mac, i, size));
        }
        return frames;
    }

    @Test
    void shouldReceiveABatchWithContentAndType() throws Exception {
        try (AfPacketIo rx = open("v1", SMALL); AfPacketIo tx = open("v0", SMALL); Arena arena = Arena.ofConfined()) {
            List<byte[]> frames = rawFrames(0, 50, 100);
            assertThat(send(tx, arena, frames)).isEqualTo(50);
            List<Received> got = collect(List.of(rx), new RxFrames(64), 50, 3000);
            assertThat(got).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(got.get(i).bytes()).as("frame %d", i).isEqualTo(frames.get(i));
                assertThat(got.get(i).type()).isEqualTo(RxFrames.HOST);
            }
            assertThat(tx.stats().txFrames).isEqualTo(50);
            assertThat(tx.stats().txBytes).isEqualTo(50 * 100);
            assertThat(rx.stats().rxFrames).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void shouldWrapAroundTheRingAcrossManyBlocks() throws Exception {
        // 3 blocks of 4 KiB hold about 60 frames of 100 bytes; 300 frames go round the ring about 5 times
        AfPacketIo.Options tiny = SMALL.withRing(4096, 3, 1);
        try (AfPacketIo rx = open("v1", tiny); AfPacketIo tx = open("v0", SMALL); Arena arena = Arena.ofConfined()) {
            RxFrames batch = new RxFrames(7); // smaller than a block: receive stops and resumes mid-block
            List<Integer> ids = new ArrayList<>();
            for (int round = 0; round < 12; round++) {
                send(tx, arena, rawFrames(round * 25, 25, 100));
                collect(List.of(rx), batch, 25, 3000).forEach(r -> ids.add(MarkedFrames.idOf(r.bytes())));
            }
            assertThat(ids).containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
            rx.refreshStats();
            assertThat(rx.stats().rxDropped).isZero();
        }
    }

    @Test
    void shouldNotReturnOwnOutgoingFrames() throws Exception {
        try (AfPacketIo rx = open("v1", SMALL); AfPacketIo tx = open("v0", SMALL); Arena arena = Arena.ofConfined()) {
            send(tx, arena, rawFrames(0, 20, 80));
            assertThat(collect(List.of(rx), new RxFrames(32), 20, 3000)).hasSize(20);
            assertThat(collect(List.of(tx), new RxFrames(32), 1, 50)).isEmpty();
        }
    }

    @Test
    void shouldCountDropsWhenTheRingOverflows() throws Exception {
        try (AfPacketIo rx = open("v1", SMALL.withRing(4096, 2, 1)); AfPacketIo tx = open("v0", SMALL);
                Arena arena = Arena.ofConfined()) {
            assertThat(send(tx, arena, rawFrames(0, 200, 100))).isEqualTo(200);
            Thread.sleep(20); // let the receive path of the veth run
            List<Received> got = collect(List.of(rx), new RxFrames(256), 200, 100);
            rx.refreshStats();
            assertThat(rx.stats().rxDropped).isPositive();
            assertThat(got.size() + rx.stats().rxDropped).isEqualTo(200);
        }
    }

    @Test
    void shouldSpreadFlowsWithFanoutHash() throws Exception {
        AfPacketIo.Options group = SMALL.withFanout(AfPacketIo.Fanout.hash(7));
        try (AfPacketIo a = open("v1", group); AfPacketIo b = open("v1", group); AfPacketIo tx = open("v0", SMALL);
                Arena arena = Arena.ofConfined()) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                frames.add(MarkedFrames.ipv4(v1Mac, 0x0a090000 + i, 0x0a010064, i));
            }
            send(tx, arena, frames);
            List<Received> got = collect(List.of(a, b), new RxFrames(64), 64, 3000);
            assertThat(got).hasSize(64);
            // 64 flows all hashing to one of two sockets has probability 2^-63
            assertThat(got).anyMatch(r -> r.socket() == 0).anyMatch(r -> r.socket() == 1);
        }
    }

    @Test
    void shouldSteerLikeTheJavaTwinWithFanoutCbpf() throws Exception {
        long seed = 0x5eed_1234L;
        SplittableRandom random = new SplittableRandom(seed);
        IpAddress rs4 = IpAddress.parse("10.1.0.5");
        IpAddress rs6 = IpAddress.parse("fd00::5");
        int workers = 3;
        ShardSteering steering = new ShardSteering(List.of(rs4, rs6), 0xfffffff0, workers);
        AfPacketIo.Options group = SMALL.withRing(16384, 4, 1)
                .withFanout(AfPacketIo.Fanout.cbpf(8, steering.program()));
        List<byte[]> frames = new ArrayList<>();
        Map<Integer, Integer> expected = new HashMap<>();
        for (int id = 0; id < 90; id++) {
            int kind = id % 6;
            int client = random.nextInt();
            long clientHi = random.nextLong();
            long clientLo = random.nextLong();
            switch (kind) {
                case 0, 1 -> {
                    frames.add(MarkedFrames.ipv4(v1Mac, client, 0x0a010064, id));
                    expected.put(id, steering.shardOf(Af.INET, 0, client & 0xffff_ffffL, 0, 0x0a010064L));
                }
                case 2 -> {
                    frames.add(MarkedFrames.ipv4(v1Mac, (int) rs4.lo(), client, id));
                    expected.put(id, steering.shardOf(Af.INET, 0, rs4.lo(), 0, client & 0xffff_ffffL));
                }
                case 3 -> {
                    frames.add(MarkedFrames.ipv6(v1Mac, clientHi, clientLo, rs6.hi(), 0x64, id));
                    expected.put(id, steering.shardOf(Af.INET6, clientHi, clientLo, rs6.hi(), 0x64));
                }
                case 4 -> {
                    frames.add(MarkedFrames.ipv6(v1Mac, rs6.hi(), rs6.lo(), clientHi, clientLo, id));
                    expected.put(id, steering.shardOf(Af.INET6, rs6.hi(), rs6.lo(), clientHi, clientLo));
                }
                default -> {
                    frames.add(MarkedFrames.raw(v1Mac, id, 64));
                    expected.put(id, 0); // not IP
                }
            }
        }
        List<AfPacketIo> sockets = new ArrayList<>();
        try (Arena arena = Arena.ofConfined(); AfPacketIo tx = open("v0", SMALL)) {
            for (int i = 0; i < workers; i++) {
                sockets.add(open("v1", group)); // join order is the index the program returns
            }
            send(tx, arena, frames);
            Map<Integer, Integer> actual = new HashMap<>();
            collect(sockets, new RxFrames(64), frames.size(), 3000)
                    .forEach(r -> actual.put(MarkedFrames.idOf(r.bytes()), r.socket()));
            assertThat(actual).as("seed %x", seed).isEqualTo(expected);
            assertThat(actual.values()).as("all workers used, seed %x", seed).containsAll(List.of(0, 1, 2));
        } finally {
            sockets.forEach(AfPacketIo::close);
        }
    }

    @Test
    void shouldNameInterfaceWhenOpenFails() throws Exception {
        assertThatThrownBy(() -> open("uvs-nosuch0", SMALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no network interface uvs-nosuch0");
        AfPacketIo.Options hash = SMALL.withFanout(AfPacketIo.Fanout.hash(9));
        AfPacketIo.Options lb = SMALL.withFanout(new AfPacketIo.Fanout(9, IfPacket.PACKET_FANOUT_LB, null));
        try (AfPacketIo first = open("v1", hash)) {
            // a group's mode is fixed by its first member
            assertThatThrownBy(() -> open("v1", lb))
                    .hasMessage("setsockopt(PACKET_FANOUT group 9) on v1: EINVAL (Invalid argument)");
        }
    }
}
