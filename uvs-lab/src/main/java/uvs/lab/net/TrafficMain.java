package uvs.lab.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Lab traffic, run inside the client namespace ({@code ip netns exec uvs-client java ... TrafficMain streams
 * ...}). Prints machine-readable lines: {@code progress }/{@code report }/{@code final } followed by a
 * {@link StreamSummary}, or {@code round }/{@code final } followed by a {@link PersistenceSummary}; reads
 * commands from standard input: {@code report}, {@code round}, {@code stop}.
 */
@Command(name = "traffic", mixinStandardHelpOptions = true, description = "Client traffic for the UVS lab.",
    subcommands = {TrafficMain.Streams.class, TrafficMain.Persistent.class})
public final class TrafficMain implements Callable<Integer> {
    /** Command that prints a summary now. */
    public static final String REPORT = "report";
    /** Command that runs another persistence round. */
    public static final String ROUND = "round";
    /** Command that ends the run (after a final summary). */
    public static final String STOP = "stop";

    private static final PrintStream OUT = System.out;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrafficMain()).execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(OUT);
        return 0;
    }

    /** {@code streams}: N long-lived streams to VIP:9000. */
    @Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Long-lived TCP streams to the stream service; a summary every progress interval.")
    static final class Streams implements Callable<Integer> {
        @Option(names = "--vip", required = true, description = "address to connect to (IPv4 or IPv6 literal)")
        String vip;

        @Option(names = "--port", defaultValue = "" + LabTopology.STREAM_PORT, description = "port (default 9000)")
        int port;

        @Option(names = "--count", defaultValue = "10", description = "number of streams (default 10)")
        int count;

        @Option(names = "--sources", description = "first client source address (lab: 10.100.0.100); default: any")
        String firstSource;

        @Option(names = "--source-count", defaultValue = "" + LabTopology.CLIENT_SOURCE_COUNT,
            description = "consecutive source addresses the streams are spread over (default ${DEFAULT-VALUE})")
        int streamSources;

        @Option(names = "--interval-ms", defaultValue = "100", description = "ms between lines of a stream")
        long intervalMs;

        @Option(names = "--duration-s", defaultValue = "0",
            description = "seconds to run; 0 runs until 'stop' or the end of standard input")
        long durationS;

        @Option(names = "--progress-ms", defaultValue = "1000", description = "ms between progress lines; 0: none")
        long progressMs;

        @Option(names = "--timeout-ms", defaultValue = "2000",
            description = "ms without a reply after which a stream counts as broken (default ${DEFAULT-VALUE})")
        long timeoutMs;

        @Override
        public Integer call() throws InterruptedException {
            InetSocketAddress target = new InetSocketAddress(AddressRange.literal(vip), port);
            CountDownLatch stop = new CountDownLatch(1);
            List<InetAddress> sources = firstSource == null ? List.of()
                : AddressRange.of(firstSource, streamSources);
            try (StreamClients clients = new StreamClients(target, count, Duration.ofMillis(intervalMs), sources,
                Duration.ofMillis(timeoutMs))) {
                clients.start();
                Thread.ofPlatform().daemon().start(() -> commands(line -> {
                    if (line.equals(REPORT)) {
                        emit(REPORT, clients.summary());
                    } else if (line.equals(STOP)) {
                        stop.countDown();
                    }
                }, durationS == 0 ? stop::countDown : () -> { }));
                boolean timed = durationS > 0;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(durationS);
                long tick = progressMs > 0 ? progressMs : 1000;
                while (!timed || System.nanoTime() < end) {
                    long wait = timed ? Math.min(tick, remainingMillis(end)) : tick;
                    if (stop.await(wait, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    if (progressMs > 0 && (!timed || System.nanoTime() < end)) {
                        emit("progress", clients.summary());
                    }
                }
                // the final state is the one before closing: closing the streams is not a break
                emit("final", clients.summary());
            }
            return 0;
        }
    }

    /** {@code persistent}: HTTP rounds from many source addresses, compared with the first round. */
    @Command(name = "persistent", mixinStandardHelpOptions = true,
        description = "HTTP GETs to VIP:80 from many source addresses; later rounds compare with the first.")
    static final class Persistent implements Callable<Integer> {
        @Option(names = "--vip", required = true, description = "address to connect to (IPv4 or IPv6 literal)")
        String vip;

        @Option(names = "--port", defaultValue = "" + LabTopology.HTTP_PORT, description = "port (default 80)")
        int port;

        @Option(names = "--sources", required = true, description = "first source address (lab: 10.100.0.100)")
        String firstSource;

        @Option(names = "--source-count", defaultValue = "" + LabTopology.CLIENT_SOURCE_COUNT,
            description = "number of consecutive source addresses (default 100)")
        int sourceCount;

        @Option(names = "--rounds", defaultValue = "1",
            description = "rounds to run before reading commands (default 1)")
        int rounds;

        @Option(names = "--pause-ms", defaultValue = "1000", description = "ms between those rounds")
        long pauseMs;

        @Override
        public Integer call() throws InterruptedException {
            PersistentClients clients = new PersistentClients(
                new InetSocketAddress(AddressRange.literal(vip), port), AddressRange.of(firstSource, sourceCount));
            PersistenceSummary last = null;
            for (int r = 0; r < rounds; r++) {
                if (r > 0) {
                    Thread.sleep(pauseMs);
                }
                last = clients.round();
                emit(ROUND, last);
            }
            // after the scheduled rounds: one round per 'round' command, until 'stop' or end of input
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try {
                for (String line; (line = in.readLine()) != null && !line.strip().equals(STOP); ) {
                    if (line.strip().equals(ROUND)) {
                        last = clients.round();
                        emit(ROUND, last);
                    }
                }
            } catch (IOException e) {
                // no usable standard input: the scheduled rounds were the whole run
            }
            if (last != null) {
                emit("final", last);
            }
            return 0;
        }
    }

    private static long remainingMillis(long endNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()));
    }

    // standard input commands, one per line; onEnd runs at the end of input
    private static void commands(Consumer<String> handler, Runnable onEnd) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                handler.accept(line.strip());
            }
        } catch (IOException e) {
            // unreadable input counts as its end
        }
        onEnd.run();
    }

    private static void emit(String kind, Object summary) {
        synchronized (OUT) {
            OUT.println(kind + " " + summary);
            OUT.flush();
        }
    }
}
