package uvs.net.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class LibcTest {

    @Test
    void shouldMatchTheX8664StructSizes() {
        // sizes from the C headers on x86_64 (see toolchain.md)
        assertThat(Layouts.SOCKADDR_LL.byteSize()).isEqualTo(20);
        assertThat(Layouts.IOVEC.byteSize()).isEqualTo(16);
        assertThat(Layouts.MSGHDR.byteSize()).isEqualTo(56);
        assertThat(Layouts.MMSGHDR.byteSize()).isEqualTo(64);
        assertThat(Layouts.TPACKET_REQ3.byteSize()).isEqualTo(28);
        assertThat(Layouts.POLLFD.byteSize()).isEqualTo(8);
        assertThat(Layouts.SOCK_FPROG.byteSize()).isEqualTo(16);
        assertThat(Layouts.TPACKET_STATS_V3.byteSize()).isEqualTo(12);
    }

    @Test
    void shouldNameCallAndErrnoWhenACallFails() {
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            int fd = libc.socket(12345, Libc.SOCK_RAW, 0);
            assertThat(fd).isEqualTo(-1);
            assertThatThrownBy(() -> libc.check(fd, "socket(family 12345) for eth0"))
                    .isInstanceOf(NativeException.class)
                    .hasMessage("socket(family 12345) for eth0: EAFNOSUPPORT (Address family not supported by protocol)")
                    .satisfies(e -> assertThat(((NativeException) e).errno()).isEqualTo(Errno.EAFNOSUPPORT));
        }
    }

    @Test
    void shouldResolveLoopbackIndexByNameAndByIoctl() {
        int byName = Libc.ifIndex("lo");
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            int fd = libc.check(libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0), "socket(AF_INET)");
            try {
                MemorySegment ifreq = arena.allocate(40); // struct ifreq: name[16], then the ifindex union
                ifreq.setString(0, "lo");
                libc.check(libc.ioctl(fd, Libc.SIOCGIFINDEX, ifreq), "ioctl(SIOCGIFINDEX) on lo");
                assertThat(ifreq.get(JAVA_INT, 16)).isEqualTo(byName).isPositive();
            } finally {
                libc.close(fd);
            }
        }
    }

    @Test
    void shouldReportUnknownInterface() {
        assertThatThrownBy(() -> Libc.ifIndex("uvs-nosuch0"))
                .isInstanceOf(NativeException.class)
                .hasMessage("if_nametoindex(uvs-nosuch0): ENODEV (No such device)");
    }
}
