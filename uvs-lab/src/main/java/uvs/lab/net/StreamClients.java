package uvs.lab.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * N long-lived TCP streams to the stream service (VIP:9000): each sends a line every interval and checks the
 * reply ({@code rs1 7}: same server, next sequence number). A stream breaks on a reset or end of stream, on no
 * reply within the reply timeout, or when the server name or sequence changes (another server answered).
 */
public final class StreamClients implements AutoCloseable {
    /** How long a stream waits to connect or for a reply before it counts as broken by timeout, by default. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** Why a stream broke. */
    public enum Break {
        /** Connection refused or reset, or the server closed the stream. */
        RESET,
        /** No connection or no reply within the reply timeout. */
        TIMEOUT,
        /** A reply came from another server, or out of sequence (another server's connection). */
        SERVER_CHANGED
    }

    private final InetSocketAddress target;
    private final long intervalNanos;
    private final int timeoutMillis;
    private final List<Stream> streams = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private final List<InetAddress> sources;

    /** {@code count} streams to {@code target}, each sending a line every {@code interval}; call {@link #start}. */
    public StreamClients(InetSocketAddress target, int count, Duration interval) {
        this(target, count, interval, List.of());
    }

    /**
     * {@code count} streams to {@code target}, stream {@code i} bound to source address {@code i % sources.size()}
     * (none: the kernel picks), each sending a line every {@code interval}; call {@link #start}.
     */
    public StreamClients(InetSocketAddress target, int count, Duration interval, List<InetAddress> sources) {
        this(target, count, interval, sources, TIMEOUT);
    }

    /**
     * As {@link #StreamClients(InetSocketAddress, int, Duration, List)}, a stream counting as broken when it gets
     * no reply within {@code replyTimeout} (a failover that takes seconds is survived by TCP's retransmissions).
     */
    public StreamClients(InetSocketAddress target, int count, Duration interval, List<InetAddress> sources,
                         Duration replyTimeout) {
        if (count < 1) {
            throw new IllegalArgumentException("stream count " + count + ": expected at least 1");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("stream interval " + interval + ": expected a positive duration");
        }
        if (replyTimeout.isNegative() || replyTimeout.isZero() || replyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("reply timeout " + replyTimeout + ": expected a positive duration");
        }
        this.target = target;
        this.timeoutMillis = (int) replyTimeout.toMillis();
        this.intervalNanos = interval.toNanos();
        this.sources = List.copyOf(sources);
        for (int i = 0; i < count; i++) {
            streams.add(new Stream());
        }
    }

    /** Opens all streams, each on its own virtual thread. */
    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("stream clients already started");
        }
        for (Stream s : streams) {
            threads.add(Thread.ofVirtual().name("stream-" + threads.size()).start(() -> run(s)));
        }
    }

    /** The streams' state now; safe to call while they run. */
    public StreamSummary summary() {
        int alive = 0;
        int[] breaks = new int[Break.values().length];
        long replies = 0;
        TreeMap<String, Integer> servers = new TreeMap<>();
        for (Stream s : streams) {
            Break b = s.broken;
            if (b == null) {
                alive++;
            } else {
                breaks[b.ordinal()]++;
            }
            replies += s.replies;
            String server = s.server;
            if (server != null) {
                servers.merge(server, 1, Integer::sum);
            }
        }
        return new StreamSummary(streams.size(), alive, breaks[Break.RESET.ordinal()],
            breaks[Break.TIMEOUT.ordinal()], breaks[Break.SERVER_CHANGED.ordinal()], replies, servers);
    }

    /** Per stream, the real server it reached (null if none yet); index order is stream order. */
    public List<String> servers() {
        return streams.stream().map(s -> s.server).toList();
    }

    /** Waits up to {@code timeout} for every stream to have received at least one reply or broken. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.stream().allMatch(s -> s.replies > 0 || s.broken != null)) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return false;
    }

    /** Stops every stream (closing them is not a break) and waits for their threads. */
    @Override
    public void close() {
        stopping = true;
        for (Stream s : streams) {
            s.closeSocket();
        }
        for (Thread t : threads) {
            LockSupport.unpark(t);
            try {
                t.join(timeoutMillis * 2L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run(Stream s) {
        try (Socket socket = new Socket()) {
            s.socket = socket;
            if (stopping) {
                return;
            }
            if (!sources.isEmpty()) {
                socket.bind(new InetSocketAddress(sources.get(streams.indexOf(s) % sources.size()), 0));
            }
            socket.connect(target, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII));
            Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
            long next = System.nanoTime();
            for (long seq = 1; !stopping; seq++) {
                out.write("line " + seq + "\n");
                out.flush();
                String reply = in.readLine();
                if (reply == null) {
                    s.broken = stopping ? null : Break.RESET;
                    return;
                }
                if (!accept(s, reply, seq)) {
                    s.broken = Break.SERVER_CHANGED;
                    return;
                }
                next += intervalNanos;
                long wait;
                while (!stopping && (wait = next - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        } catch (SocketTimeoutException e) {
            s.broken = stopping ? null : Break.TIMEOUT;
        } catch (IOException e) {
            s.broken = stopping ? null : Break.RESET;
        }
    }

    // a reply is "NAME SEQ": the first fixes the stream's server, the rest must match it and count up by one
    private static boolean accept(Stream s, String reply, long seq) {
        int space = reply.indexOf(' ');
        if (space <= 0) {
            return false;
        }
        String name = reply.substring(0, space);
        long got;
        try {
            got = Long.parseLong(reply.substring(space + 1).strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (s.server == null) {
            s.server = name;
        } else if (!s.server.equals(name)) {
            return false;
        }
        if (got != seq) {
            return false;
        }
        s.replies = seq;
        return true;
    }

    /** The state of one stream: written by its own thread, read by {@link #summary()}. */
    private static final class Stream {
        volatile Socket socket;
        volatile String server;
        volatile long replies;
        volatile Break broken;

        void closeSocket() {
            Socket so = socket;
            if (so != null) {
                try {
                    so.close();
                } catch (IOException e) {
                    // closing to stop: an error here changes nothing
                }
            }
        }
    }
}
