package uvs.lab.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import uvs.net.packet.Ethernet;

/**
 * The UDP packet blaster, run inside a lab namespace: builds {@code --flows} frames (one per source address and
 * port), prints {@code ready}, waits for {@code go} on its input, sends for {@code --seconds} from {@code --senders} threads and prints
 * {@code sent S dropped D nanos T cpu-ticks C} (C: its utime + stime so far).
 */
@Command(name = "blaster", mixinStandardHelpOptions = true, description = "AF_PACKET UDP blaster of uvs bench")
public final class BlasterMain implements Callable<Integer> {
    /** Line printed once the socket is open and the frames are built. */
    public static final String READY = "ready";
    /** Line that starts the sending. */
    public static final String GO = "go";
    /** Prefix of the result line. */
    public static final String SENT = "sent";

    @Option(names = "--interface", required = true, description = "interface to send on")
    String iface;

    @Option(names = "--dst-mac", required = true, description = "destination MAC (the director's)")
    String dstMac;

    @Option(names = "--src-mac", required = true, description = "source MAC (the sending interface's)")
    String srcMac;

    @Option(names = "--dst", required = true, description = "destination IPv4 address (the VIP)")
    String dst;

    @Option(names = "--port", required = true, description = "destination UDP port")
    int port;

    @Option(names = "--source", required = true, description = "first source IPv4 address")
    String source;

    @Option(names = "--source-count", defaultValue = "100", description = "source addresses (consecutive)")
    int sourceCount;

    @Option(names = "--flows", defaultValue = "1024", description = "distinct flows (frames in the pool)")
    int flows;

    @Option(names = "--length", defaultValue = "60", description = "frame length without FCS")
    int length;

    @Option(names = "--batch", defaultValue = "64", description = "frames per sendmmsg")
    int batch;

    @Option(names = "--seconds", defaultValue = "5", description = "how long to send")
    double seconds;

    @Option(names = "--senders", defaultValue = "1", description = "sending threads, each with its own socket")
    int senders;

    /** Runs the blaster; exit status 0 when it sent. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BlasterMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<byte[]> frames = frames(Ethernet.parseMac(dstMac), Ethernet.parseMac(srcMac), UdpFrame.parseIpv4(source),
            sourceCount, UdpFrame.parseIpv4(dst), port, flows, length);
        if (senders < 1 || senders > flows) {
            throw new IllegalArgumentException("--senders " + senders + ": expected 1 to the number of flows");
        }
        List<FrameBlaster> blasters = new ArrayList<>();
        try {
            for (int t = 0; t < senders; t++) {
                List<byte[]> share = new ArrayList<>();
                for (int i = t; i < frames.size(); i += senders) {
                    share.add(frames.get(i));
                }
                blasters.add(FrameBlaster.open(iface, share, batch));
            }
            System.out.println(READY);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (!GO.equals(line)) {
                System.err.println("blaster: expected '" + GO + "', got " + line);
                return 1;
            }
            long nanosToRun = (long) (seconds * 1e9);
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (FrameBlaster b : blasters) {
                threads.add(Thread.ofPlatform().name("blaster").start(() -> b.run(nanosToRun)));
            }
            for (Thread t : threads) {
                t.join();
            }
            long nanos = System.nanoTime() - start;
            long sent = blasters.stream().mapToLong(FrameBlaster::sent).sum();
            long dropped = blasters.stream().mapToLong(FrameBlaster::dropped).sum();
            long ticks = ProcStat.processTicks(Files.readString(Path.of("/proc/self/stat")));
            System.out.println(SENT + " " + sent + " dropped " + dropped + " nanos " + nanos + " cpu-ticks " + ticks);
            return 0;
        } finally {
            blasters.forEach(FrameBlaster::close);
        }
    }

    /**
     * The frame pool: flow {@code i} comes from source address {@code i mod sourceCount} and port
     * {@code 10000 + i}, so the flows spread over real servers whatever the scheduler hashes.
     */
    static List<byte[]> frames(long dstMac, long srcMac, int firstSource, int sourceCount, int dst, int port,
            int flows, int length) {
        if (flows < 1 || flows > 50_000 || sourceCount < 1) {
            throw new IllegalArgumentException("flows " + flows + " / sources " + sourceCount
                + ": expected 1 to 50000 flows and at least one source");
        }
        List<byte[]> frames = new ArrayList<>(flows);
        for (int i = 0; i < flows; i++) {
            frames.add(UdpFrame.build(dstMac, srcMac, firstSource + i % sourceCount, dst, 10_000 + i, port, length));
        }
        return frames;
    }
}
