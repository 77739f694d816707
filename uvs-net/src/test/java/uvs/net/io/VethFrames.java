package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Sending and reading frames through real packet ports in the root tests' veth pairs. */
final class VethFrames {
    private VethFrames() {
    }

    /** Frames {@code io} reads whose destination MAC is {@code dst}, in hex, until {@code expected} or {@code millis}. */
    static List<String> receive(PacketIo io, long dst, int expected, long millis) {
        List<String> got = new ArrayList<>();
        RxFrames batch = new RxFrames(32);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (got.size() < expected && System.nanoTime() < deadline) {
            io.await(5);
            int n = io.receive(batch);
            for (int i = 0; i < n; i++) {
                byte[] b = InMemoryPacketIo.read(batch.address[i], batch.length[i]);
                long mac = 0;
                for (int k = 0; k < 6; k++) {
                    mac = mac << 8 | (b[k] & 0xff);
                }
                if (mac == dst) {
                    got.add(HexFormat.of().formatHex(b));
                }
            }
            io.releaseReceived();
        }
        return got;
    }

    /** Sends {@code frame} from {@code io} at once. */
    static void send(PacketIo io, Arena arena, byte[] frame) {
        MemorySegment s = arena.allocate(frame.length);
        MemorySegment.copy(frame, 0, s, JAVA_BYTE, 0, frame.length);
        assertThat(io.transmit(s.address(), frame.length)).isTrue();
        io.flush();
    }
}
