package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class InMemoryPacketIoTest {
    @Test
    void shouldReceiveInjectedFramesInOrderUpToCapacity() {
        try (InMemoryPacketIo io = new InMemoryPacketIo()) {
            io.inject(new byte[] {1, 2, 3});
            io.inject(new byte[] {4, 5}, RxFrames.BROADCAST);
            io.inject(new byte[] {6});
            RxFrames frames = new RxFrames(2);
            assertThat(io.await(0)).isTrue();
            assertThat(io.receive(frames)).isEqualTo(2);
            assertThat(InMemoryPacketIo.read(frames.address[0], frames.length[0])).containsExactly(1, 2, 3);
            assertThat(InMemoryPacketIo.read(frames.address[1], frames.length[1])).containsExactly(4, 5);
            assertThat(frames.packetType[0]).isEqualTo(RxFrames.HOST);
            assertThat(frames.packetType[1]).isEqualTo(RxFrames.BROADCAST);
            io.releaseReceived();
            assertThat(io.receive(frames)).isEqualTo(1);
            assertThat(frames.count).isEqualTo(1);
            assertThat(io.receive(frames)).isZero();
            assertThat(io.await(0)).isFalse();
            assertThat(io.stats().rxFrames).isEqualTo(3);
            assertThat(io.stats().rxBytes).isEqualTo(6);
        }
    }

    @Test
    void shouldCaptureFramesRewrittenInPlaceAtFlush() {
        try (InMemoryPacketIo io = new InMemoryPacketIo(2)) {
            io.inject(new byte[] {10, 11, 12});
            RxFrames frames = new RxFrames(4);
            io.receive(frames);
            MemorySegment frame = MemorySegment.ofAddress(frames.address[0]).reinterpret(frames.length[0]);
            frame.set(JAVA_BYTE, 0, (byte) 99);
            assertThat(io.transmit(frames.address[0], frames.length[0])).isTrue();
            assertThat(io.transmit(frames.address[0], 1)).isTrue();
            assertThat(io.transmit(frames.address[0], 1)).as("batch of 2 is full").isFalse();
            assertThat(io.flush()).isEqualTo(2);
            assertThat(io.takeSent()).containsExactly(new byte[] {99, 11, 12}, new byte[] {99});
            assertThat(io.takeSent()).isEmpty();
            assertThat(io.stats().txFrames).isEqualTo(2);
            assertThat(io.stats().txBytes).isEqualTo(4);
        }
    }
}
