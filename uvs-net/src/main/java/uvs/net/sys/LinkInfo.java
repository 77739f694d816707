package uvs.net.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;

/**
 * Facts about one network interface, read in the calling thread's network namespace.
 *
 * @param name interface name
 * @param ifindex interface index
 * @param mac Ethernet address in the low 48 bits (first byte most significant), 0 when not Ethernet
 * @param mtu MTU in bytes
 * @param addresses IPv4 then IPv6 addresses with their prefix lengths
 */
public record LinkInfo(String name, int ifindex, long mac, int mtu, List<Address> addresses) {

    /** The thread's own view: /proc/net would show the namespace of the process's main thread. */
    private static final Path IF_INET6 = Path.of("/proc/thread-self/net/if_inet6");

    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final long IFREQ_SIZE = 40;
    /** The union after the 16-byte name: ifr_mtu, or ifr_hwaddr (sa_family, then sa_data). */
    private static final long IFR_DATA = 16;
    private static final short ARPHRD_ETHER = 1;

    /** Copies the address list. */
    public LinkInfo {
        addresses = List.copyOf(addresses);
    }

    /**
     * An address of an interface.
     *
     * @param address the address
     * @param prefixLength length of the on-link prefix
     */
    public record Address(IpAddress address, int prefixLength) {
    }

    /**
     * Reads interface {@code name}: index through if_nametoindex, MAC and MTU through ioctls, IPv4 addresses
     * through {@link NetworkInterface} (SIOCGIFCONF, per thread), IPv6 addresses from
     * {@code /proc/thread-self/net/if_inet6} (Java reads {@code /proc/net/if_inet6}, which belongs to the main
     * thread's namespace, and misses interfaces without IPv4 when the thread is in another namespace).
     *
     * @throws IllegalArgumentException when there is no such interface
     */
    public static LinkInfo of(String name) {
        int ifindex;
        try {
            ifindex = Libc.ifIndex(name);
        } catch (NativeException e) {
            throw new IllegalArgumentException("no network interface " + name + ": " + e.getMessage(), e);
        }
        long mac = 0;
        int mtu;
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            int fd = libc.check(libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0),
                    "socket(AF_INET) for " + name);
            try {
                MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
                ifreq.setString(0, name);
                libc.check(libc.ioctl(fd, SIOCGIFMTU, ifreq), "ioctl(SIOCGIFMTU) on " + name);
                mtu = ifreq.get(JAVA_INT, IFR_DATA);
                libc.check(libc.ioctl(fd, SIOCGIFHWADDR, ifreq), "ioctl(SIOCGIFHWADDR) on " + name);
                if (ifreq.get(JAVA_SHORT, IFR_DATA) == ARPHRD_ETHER) {
                    for (int i = 0; i < 6; i++) {
                        mac = mac << 8 | (ifreq.get(JAVA_BYTE, IFR_DATA + 2 + i) & 0xff);
                    }
                }
            } finally {
                libc.close(fd);
            }
        }
        List<Address> addresses = new ArrayList<>();
        try {
            // Java finds interfaces by their IPv4 addresses (SIOCGIFCONF, per thread): none means no IPv4
            NetworkInterface nif = NetworkInterface.getByName(name);
            if (nif != null) {
                for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof Inet4Address v4) {
                        addresses.add(new Address(IpAddress.fromBytes(v4.getAddress()), a.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot read interface " + name, e);
        }
        addresses.addAll(parseIfInet6(readIfInet6(), name));
        return new LinkInfo(name, ifindex, mac, mtu, addresses);
    }

    private static String readIfInet6() {
        try {
            return Files.readString(IF_INET6);
        } catch (NoSuchFileException e) {
            return ""; // IPv6 disabled
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + IF_INET6, e);
        }
    }

    /**
     * Parses {@code if_inet6} text (lines "ADDR32HEX IFINDEX PREFIXLEN SCOPE FLAGS NAME", numbers in hex) and
     * returns the addresses of interface {@code name}.
     *
     * @throws IllegalArgumentException naming the line when it is malformed
     */
    public static List<Address> parseIfInet6(String text, String name) {
        List<Address> result = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            if (f.length != 6 || f[0].length() != 32) {
                throw new IllegalArgumentException("malformed if_inet6 line: '" + line + "'");
            }
            if (f[5].equals(name)) {
                try {
                    IpAddress address = IpAddress.v6(Long.parseUnsignedLong(f[0].substring(0, 16), 16),
                            Long.parseUnsignedLong(f[0].substring(16), 16));
                    result.add(new Address(address, Integer.parseInt(f[2], 16)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("malformed if_inet6 line: '" + line + "'", e);
                }
            }
        }
        return result;
    }

    /** The IPv4 addresses. */
    public List<Address> ipv4() {
        return addresses.stream().filter(a -> a.address().af() == Af.INET).toList();
    }

    /** The IPv6 addresses. */
    public List<Address> ipv6() {
        return addresses.stream().filter(a -> a.address().af() == Af.INET6).toList();
    }
}
