package uvs.director;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import uvs.sync.tools.PcapFile;
import uvs.sync.tools.SyncSniffer;
import uvs.time.NanoClock;
import uvs.time.SystemNanoClock;

/** {@code uvs sync}: look at IPVS sync traffic from any director (UVS or Linux IPVS). */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Show IPVS connection-sync traffic: one line per entry, as a backup would apply it.",
    subcommands = {SyncCommand.Decode.class, SyncCommand.Listen.class})
public final class SyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code uvs sync decode FILE.pcap}. */
    @Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Decode the sync datagrams (UDP to the sync port) of a pcap capture.")
    static final class Decode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE.pcap", description = "capture in pcap format (tcpdump -w)")
        Path file;

        @Option(names = "--port", defaultValue = "8848", description = "sync port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--syncid", defaultValue = "0", description = "show only this syncid (0 = all)")
        int syncid;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (syncid < 0 || syncid > 255 || port < 1 || port > 65535) {
                err.println("uvs sync decode: --syncid must be 0..255 and --port 1..65535");
                return 2;
            }
            SyncSniffer sniffer = new SyncSniffer(out, syncid);
            PcapFile pcap = new PcapFile();
            int[] shown = new int[1];
            try {
                pcap.read(file, (frame, source, sport, dport, payload) -> {
                    // sync_ports may spread a master over port .. port+63
                    if (dport >= port && dport < port + 64) {
                        sniffer.onDatagram(source, payload);
                        shown[0]++;
                    }
                });
            } catch (IOException e) {
                err.println("uvs sync decode: " + e.getMessage());
                return 1;
            }
            out.printf("%d sync datagrams, %d entries accepted, %d frames not UDP/IP%n", shown[0],
                sniffer.counters().entriesAccepted(), pcap.skipped());
            out.flush();
            return 0;
        }
    }

    /** {@code uvs sync listen --mcast-interface IF}. */
    @Command(name = "listen", mixinStandardHelpOptions = true,
        description = "Join the sync multicast group on an interface and print what arrives.")
    static final class Listen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--mcast-interface", required = true, description = "interface to listen on")
        String iface;

        @Option(names = "--syncid", defaultValue = "0", description = "show only this syncid (0 = all)")
        int syncid;

        @Option(names = "--group", defaultValue = "224.0.0.81", description = "multicast group (default ${DEFAULT-VALUE})")
        String group;

        @Option(names = "--port", defaultValue = "8848", description = "sync port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--count", defaultValue = "0", description = "stop after this many datagrams (0 = never)")
        long count;

        @Option(names = "--seconds", defaultValue = "0", description = "stop after this many seconds (0 = never)")
        long seconds;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            NetworkInterface nif = NetworkInterface.getByName(iface);
            if (nif == null) {
                err.println("uvs sync listen: no such interface: " + iface);
                return 1;
            }
            InetAddress g;
            try {
                g = InetAddress.getByName(group);
            } catch (IOException e) {
                err.println("uvs sync listen: invalid group: " + group);
                return 2;
            }
            if (!g.isMulticastAddress() || syncid < 0 || syncid > 255 || port < 1 || port > 65535) {
                err.println("uvs sync listen: --group must be multicast, --syncid 0..255, --port 1..65535");
                return 2;
            }
            StandardProtocolFamily family = g.getAddress().length == 4 ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
            SyncSniffer sniffer = new SyncSniffer(out, syncid);
            try (DatagramChannel ch = DatagramChannel.open(family)) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(port));
                MembershipKey key = ch.join(g, nif);
                ch.configureBlocking(false);
                ByteBuffer buf = ByteBuffer.allocate(65535);
                NanoClock clock = SystemNanoClock.INSTANCE;
                long deadline = seconds > 0 ? clock.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
                long received = 0;
                while ((count == 0 || received < count) && clock.nanoTime() - deadline < 0) {
                    buf.clear();
                    InetSocketAddress from = (InetSocketAddress) ch.receive(buf);
                    if (from == null) {
                        Thread.sleep(10);
                        continue;
                    }
                    buf.flip();
                    sniffer.onDatagram(from.getAddress().getHostAddress(), buf);
                    received++;
                }
                key.drop();
            }
            return 0;
        }
    }
}
