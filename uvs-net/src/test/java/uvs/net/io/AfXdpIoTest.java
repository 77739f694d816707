package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.net.bpf.SteeringEntry;
import uvs.net.bpf.XdpSteering;
import uvs.net.sys.Libc;
import uvs.net.sys.Netns;
import uvs.net.sys.NetnsFixture;

/**
 * Root tests: veth pair v0/v1 in a private namespace, the steering program attached to v1 (native mode) and an
 * AF_XDP port on v1's queue; frames are sent from an AF_PACKET socket on v0.
 */
@Tag("root")
class AfXdpIoTest {
    private static final int VIP = 0x0a000064;
    private static final int OTHER = 0x0a000063;
    private static final int CLIENT = 0x0a000001;
    private static final AfXdpIo.Options SMALL = new AfXdpIo.Options(2048, 128, 64, 32, true);

    private NetnsFixture ns;
    private long v1Mac;
    private XdpSteering steering;
    private XdpSteering.Port port;
    private String mode;

    @BeforeEach
    void setUp() throws Exception {
        ns = NetnsFixture.create();
        try {
            ns.vethPair("v0", "v1");
            v1Mac = ns.mac("v1");
            steering = XdpSteering.create(64);
            steering.steer(Set.of(new SteeringEntry(SteeringEntry.SERVICE, IpAddress.v4(VIP), 80, 17)));
            port = steering.port("v1");
            mode = Netns.call(ns.name, () -> port.attach(Libc.ifIndex("v1"), false));
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterEach
    void tearDown() {
        CloseHelper.closeAll(steering, ns);
    }

    private AfXdpIo openXdp(AfXdpIo.Options opts) throws Exception {
        return Netns.call(ns.name, () -> AfXdpIo.open("v1", v1Mac, new int[] {0}, port, opts, false));
    }

    private AfPacketIo openV0() throws Exception {
        return Netns.call(ns.name, () -> AfPacketIo.open("v0", AfPacketIo.Options.DEFAULT.withRing(1 << 16, 8, 1)));
    }

    private static void send(PacketIo tx, Arena arena, List<byte[]> frames) {
        for (byte[] f : frames) {
            MemorySegment s = arena.allocate(f.length);
            MemorySegment.copy(f, 0, s, JAVA_BYTE, 0, f.length);
            if (!tx.transmit(s.address(), f.length)) {
                tx.flush();
                tx.transmit(s.address(), f.length);
            }
        }
        tx.flush();
    }

    /** Test frames read from {@code io} until {@code expected} arrived or {@code millis} passed. */
    private static List<byte[]> collect(PacketIo io, int expected, long millis, boolean echo) {
        List<byte[]> got = new ArrayList<>();
        RxFrames batch = new RxFrames(32);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (got.size() < expected && System.nanoTime() < deadline) {
            io.await(5);
            int n = io.receive(batch);
            for (int i = 0; i < n; i++) {
                byte[] bytes = InMemoryPacketIo.read(batch.address[i], batch.length[i]);
                if (MarkedFrames.idOf(bytes) >= 0) {
                    got.add(bytes);
                    if (echo) {
                        // back to the sender, rewritten in place: destination MAC := the sender's
                        MemorySegment f = MemorySegment.ofAddress(batch.address[i]).reinterpret(6);
                        for (int b = 0; b < 6; b++) {
                            f.set(JAVA_BYTE, b, (byte) (MarkedFrames.SRC_MAC >>> (40 - 8 * b)));
                        }
                        if (!io.transmit(batch.address[i], batch.length[i])) {
                            io.flush();
                            io.transmit(batch.address[i], batch.length[i]);
                        }
                    }
                }
            }
            io.flush();
            io.releaseReceived();
        }
        return got;
    }

    @Test
    void receivesOnlySteeredFramesAndSendsThemBackInPlace() throws Exception {
        assertThat(mode).isEqualTo("native");
        assertThat(ns.ipOutput("-d", "link", "show", "dev", "v1")).contains("xdp");
        try (AfXdpIo xdp = openXdp(AfXdpIo.Options.DEFAULT); AfPacketIo v0 = openV0(); Arena arena = Arena.ofConfined()) {
            assertThat(xdp.bindMode()).isEqualTo("copy"); // veth has no zero-copy
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                frames.add(MarkedFrames.ipv4(v1Mac, CLIENT, VIP, i));
                frames.add(MarkedFrames.ipv4(v1Mac, CLIENT, OTHER, 1000 + i)); // the kernel's
            }
            send(v0, arena, frames);
            List<byte[]> got = collect(xdp, 50, 3000, true);
            assertThat(got).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(got.get(i)).isEqualTo(frames.get(2 * i));
            }
            assertThat(xdp.copies()).as("echoed from where they were received").isZero();
            assertThat(xdp.stats().txFrames).isEqualTo(50);
            List<byte[]> back = new ArrayList<>();
            RxFrames batch = new RxFrames(64);
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (back.size() < 50 && System.nanoTime() < deadline) {
                v0.await(5);
                int n = v0.receive(batch);
                for (int i = 0; i < n; i++) {
                    byte[] b = InMemoryPacketIo.read(batch.address[i], batch.length[i]);
                    if (MarkedFrames.idOf(b) >= 0 && MarkedFrames.idOf(b) < 1000) {
                        back.add(b);
                    }
                }
                v0.releaseReceived();
            }
            assertThat(back).hasSize(50);
            assertThat(MarkedFrames.idOf(back.get(49))).isEqualTo(49);
        }
    }

    @Test
    void worksInGenericModeToo() throws Exception {
        // for drivers without native XDP: the program runs after the kernel built an skb
        port.detach();
        assertThat(ns.ipOutput("-d", "link", "show", "dev", "v1")).doesNotContain("prog/xdp");
        assertThat(Netns.call(ns.name, () -> port.attach(Libc.ifIndex("v1"), true))).isEqualTo("generic");
        assertThat(ns.ipOutput("-d", "link", "show", "dev", "v1")).contains("xdpgeneric");
        try (AfXdpIo xdp = openXdp(SMALL); AfPacketIo v0 = openV0(); Arena arena = Arena.ofConfined()) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                frames.add(MarkedFrames.ipv4(v1Mac, CLIENT, VIP, i));
                frames.add(MarkedFrames.ipv4(v1Mac, CLIENT, OTHER, 1000 + i));
            }
            send(v0, arena, frames);
            List<byte[]> got = collect(xdp, 20, 3000, false);
            assertThat(got).hasSize(20);
            assertThat(got).allSatisfy(f -> assertThat(MarkedFrames.idOf(f)).isLessThan(1000));
        }
    }

    @Test
    void framesFromElsewhereAreCopiedIntoTheUmem() throws Exception {
        try (AfXdpIo xdp = openXdp(SMALL); AfPacketIo v0 = openV0(); Arena arena = Arena.ofConfined()) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                frames.add(MarkedFrames.raw(MarkedFrames.SRC_MAC, i, 100));
            }
            send(xdp, arena, frames);
            assertThat(xdp.copies()).isEqualTo(300);
            assertThat(xdp.stats().txFrames).isEqualTo(300);
            RxFrames batch = new RxFrames(64);
            int got = 0;
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (got < 300 && System.nanoTime() < deadline) {
                v0.await(5);
                int n = v0.receive(batch);
                for (int i = 0; i < n; i++) {
                    if (MarkedFrames.idOf(InMemoryPacketIo.read(batch.address[i], batch.length[i])) >= 0) {
                        got++;
                    }
                }
                v0.releaseReceived();
            }
            assertThat(got).isEqualTo(300);
        }
    }

    @Test
    void keepsReceivingLongAfterTheUmemWentRoundManyTimes() throws Exception {
        // 128 frames of UMEM, 64 in the fill ring: 2000 frames reuse each frame many times
        try (AfXdpIo xdp = openXdp(SMALL); AfPacketIo v0 = openV0(); Arena arena = Arena.ofConfined()) {
            int total = 0;
            for (int round = 0; round < 40; round++) {
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    frames.add(MarkedFrames.ipv4(v1Mac, CLIENT, VIP, round * 50 + i));
                }
                send(v0, arena, frames);
                total += collect(xdp, 50, 2000, round % 2 == 0).size();
            }
            assertThat(total).isEqualTo(2000);
            assertThat(xdp.stats().rxFrames).isEqualTo(2000);
        }
    }

    @Test
    void receivesRewritesAndSendsWithoutAllocating() throws Exception {
        try (AfXdpIo xdp = openXdp(SMALL); AfPacketIo v0 = openV0(); Arena arena = Arena.ofConfined()) {
            MemorySegment[] frames = new MemorySegment[16];
            for (int i = 0; i < frames.length; i++) {
                byte[] f = MarkedFrames.ipv4(v1Mac, CLIENT, VIP, i);
                frames[i] = arena.allocate(f.length);
                MemorySegment.copy(f, 0, frames[i], JAVA_BYTE, 0, f.length);
            }
            MemorySegment own = arena.allocate(100);
            RxFrames batch = new RxFrames(32);
            RxFrames drain = new RxFrames(64);
            ThreadMXBean threads =
                (ThreadMXBean) ManagementFactory.getThreadMXBean();
            // Windows of 1000 rounds until one allocates nothing: the interpreter and C1 box downcall results
            // until C2 has compiled the calls, which takes more windows on a fast machine and longer on a busy
            // one, so the bound is time (60 s); a per-frame allocation would show in every window.
            long allocated = Long.MAX_VALUE;
            long frames0 = 0;
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int window = 0; allocated >= 1024 && (window < 40 || System.nanoTime() < deadline); window++) {
                allocated = 0;
                for (int round = 0; round < 1000; round++) {
                    for (MemorySegment f : frames) {
                        v0.transmit(f.address(), (int) f.byteSize());
                    }
                    v0.flush();
                    long before = threads.getCurrentThreadAllocatedBytes(); // only the AF_XDP port's work counts
                    xdp.await(5);
                    int n = xdp.receive(batch);
                    for (int i = 0; i < n; i++) {
                        xdp.transmit(batch.address[i], batch.length[i]); // in place
                    }
                    xdp.transmit(own.address(), 100); // a copy
                    xdp.flush();
                    xdp.releaseReceived();
                    allocated += threads.getCurrentThreadAllocatedBytes() - before;
                    v0.receive(drain);
                    v0.releaseReceived();
                }
                if (window == 0) {
                    frames0 = xdp.stats().rxFrames;
                }
            }
            assertThat(frames0).as("frames received in the first 1000 rounds").isGreaterThan(1000L * 8);
            assertThat(allocated).as("bytes allocated by 1000 rounds of 16 frames, after warm-up").isLessThan(1024);
        }
    }

    @Test
    void closingTheLinkDetachesTheProgram() throws Exception {
        assertThat(ns.ipOutput("-d", "link", "show", "dev", "v1")).contains("prog/xdp");
        steering.close();
        steering = null;
        assertThat(ns.ipOutput("-d", "link", "show", "dev", "v1")).doesNotContain("prog/xdp").doesNotContain("xdp");
    }
}
