package uvs.lab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * HTTP GETs to the VIP from many client source addresses, one per address per round: records which real server
 * answered each address, and compares every round with the first (persistence keeps a client on its server).
 */
public final class PersistentClients {
    private static final int TIMEOUT_MILLIS = (int) StreamClients.TIMEOUT.toMillis();

    private final InetSocketAddress target;
    private final List<InetAddress> sources;
    private Map<InetAddress, String> first;
    private int rounds;

    /** Clients from each of {@code sources} (addresses present on the local host) to {@code target}. */
    public PersistentClients(InetSocketAddress target, List<InetAddress> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("persistent clients: no source addresses");
        }
        this.target = target;
        this.sources = List.copyOf(sources);
    }

    /** Sends one request from every source in parallel and compares the answers with the first round's. */
    public synchronized PersistenceSummary round() throws InterruptedException {
        Map<InetAddress, String> answers = ask();
        rounds++;
        if (first == null) {
            first = answers;
        }
        int kept = 0;
        int changed = 0;
        TreeMap<String, Integer> servers = new TreeMap<>();
        for (Map.Entry<InetAddress, String> e : answers.entrySet()) {
            String server = e.getValue();
            if (server == null) {
                continue;
            }
            servers.merge(server, 1, Integer::sum);
            if (server.equals(first.get(e.getKey()))) {
                kept++;
            } else {
                changed++;
            }
        }
        return new PersistenceSummary(rounds, sources.size(), kept, changed, sources.size() - kept - changed, servers);
    }

    /** The first round's answers: source address to real server (null where the request failed). */
    public synchronized Map<InetAddress, String> firstAnswers() {
        return first == null ? Map.of() : Collections.unmodifiableMap(first);
    }

    private Map<InetAddress, String> ask() throws InterruptedException {
        List<Future<String>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (InetAddress source : sources) {
                replies.add(pool.submit(() -> get(source)));
            }
        }
        Map<InetAddress, String> answers = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            try {
                answers.put(sources.get(i), replies.get(i).get());
            } catch (ExecutionException e) {
                answers.put(sources.get(i), null);
            }
        }
        return answers;
    }

    // plain HTTP/1.0 over a socket bound to the source: the server closes after the answer
    private String get(InetAddress source) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(target, TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            String host = target.getAddress().getHostAddress();
            out.write(("GET / HTTP/1.0\r\nHost: " + (host.contains(":") ? "[" + host + "]" : host)
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return realServer(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    /** The real server named by an HTTP response's {@value RealServerServices#HEADER} header, or null if none. */
    static String realServer(String response) {
        String wanted = RealServerServices.HEADER.toLowerCase(Locale.ROOT) + ":";
        for (String line : response.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.toLowerCase(Locale.ROOT).startsWith(wanted)) {
                return line.substring(wanted.length()).strip();
            }
        }
        return null;
    }
}
