package uvs.lab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import uvs.lab.net.AddressRange;

/**
 * The new-connection client, run inside the client namespace: {@code --threads} threads each connect to the
 * VIP, read the server's one byte and reset the connection (no TIME_WAIT left anywhere), over and over.
 * Prints {@code ready}, waits for {@code go}, runs for {@code --seconds} and prints
 * {@code connections OK failed F nanos T}.
 */
@Command(name = "connect", mixinStandardHelpOptions = true, description = "TCP connection-rate client of uvs bench")
public final class ConnectMain implements Callable<Integer> {
    /** Prefix of the result line. */
    public static final String CONNECTIONS = "connections";
    private static final int TIMEOUT_MILLIS = 2000;

    @Option(names = "--vip", required = true, description = "address to connect to")
    String vip;

    @Option(names = "--port", required = true, description = "TCP port")
    int port;

    @Option(names = "--source", required = true, description = "first source address")
    String source;

    @Option(names = "--source-count", defaultValue = "100", description = "source addresses (consecutive)")
    int sourceCount;

    @Option(names = "--threads", defaultValue = "64", description = "concurrent connecting threads")
    int threads;

    @Option(names = "--seconds", defaultValue = "5", description = "how long to connect")
    double seconds;

    private final LongAdder ok = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** Runs the client. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ConnectMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<InetAddress> sources = AddressRange.of(source, sourceCount);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(vip), port);
        System.out.println(BlasterMain.READY);
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!BlasterMain.GO.equals(line)) {
            System.err.println("connect: expected '" + BlasterMain.GO + "', got " + line);
            return 1;
        }
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            InetAddress from = sources.get(t % sources.size());
            workers.add(Thread.ofPlatform().name("connect-" + t).start(() -> loop(from, target, deadline)));
        }
        for (Thread w : workers) {
            w.join();
        }
        long nanos = System.nanoTime() - start;
        System.out.println(CONNECTIONS + " " + ok.sum() + " failed " + failed.sum() + " nanos " + nanos);
        return 0;
    }

    private void loop(InetAddress from, InetSocketAddress target, long deadline) {
        while (System.nanoTime() - deadline < 0) {
            try (Socket s = new Socket()) {
                s.setSoLinger(true, 0); // close sends RST: no TIME_WAIT, ports reusable at once
                s.bind(new InetSocketAddress(from, 0));
                s.connect(target, TIMEOUT_MILLIS);
                s.setSoTimeout(TIMEOUT_MILLIS);
                InputStream in = s.getInputStream();
                if (in.read() >= 0) {
                    ok.increment();
                } else {
                    failed.increment();
                }
            } catch (IOException e) {
                failed.increment();
            }
        }
    }
}
