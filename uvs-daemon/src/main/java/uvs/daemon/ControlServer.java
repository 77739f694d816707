package uvs.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket of {@code uvsd}: a Unix domain socket on which each connection carries one
 * {@link ControlProtocol.Request} and gets one reply. Only one uvsd serves a socket ({@link DaemonLock},
 * taken before the socket is touched). Clients are served concurrently, each on its own virtual thread, at
 * most {@value #MAX_CLIENTS} at once; the peer (SO_PEERCRED) is checked before anything is read, and a
 * request must arrive within {@value #READ_TIMEOUT_SECONDS} s and its reply be taken within
 * {@value #WRITE_TIMEOUT_SECONDS} s, so a stalled or hostile client holds up nobody else.
 *
 * <p>As uvsd's {@code uvs-control} agent each duty cycle accepts waiting connections without blocking and
 * closes the connections whose deadline passed (a blocked read or write of their client then fails). The
 * clients themselves are served on virtual threads because a request waits for the engine (up to 30 s for a
 * reload) and reads and writes whole messages of a blocking protocol.
 */
public final class ControlServer implements Agent, AutoCloseable {
    /** Default socket path. */
    public static final String DEFAULT_PATH = "/run/uvs/control.sock";
    /** Environment variable naming another socket path (read by uvsd and uvsadm). */
    public static final String ENV = "UVS_CONTROL_SOCKET";
    /** Exit code and message for a refused peer, as ipvsadm words EPERM. */
    public static final String NOT_ROOT = "Permission denied (you must be root)";
    /** Clients served at once; more are told to retry. */
    public static final int MAX_CLIENTS = 32;
    /** Seconds a client has to send its whole request. */
    public static final int READ_TIMEOUT_SECONDS = 10;
    /** Seconds a client has to take its whole reply. */
    public static final int WRITE_TIMEOUT_SECONDS = 30;

    private static final int DISCARD_LIMIT = 1 << 20;
    private static final int DISCARD_SECONDS = 2;
    // connections taken per duty cycle, so that deadlines are looked at even under a flood of connections
    private static final int ACCEPT_LIMIT = 16;
    // after a failed accept (e.g. out of file descriptors), none is tried for this long: do not spin
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path path;
    private final ControlAccess access;
    private volatile Handler handler;
    private final Supervisor supervisor;
    private final DaemonLock lock;
    private final ServerSocketChannel server;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final Set<Client> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private long acceptPausedUntil;
    private String acceptProblem;
    private volatile int readTimeout = READ_TIMEOUT_SECONDS;
    private volatile int writeTimeout = WRITE_TIMEOUT_SECONDS;

    /** Handles one request (on the client's thread; several run at once). */
    @FunctionalInterface
    public interface Handler {
        /** The reply to {@code request}. */
        ControlProtocol.Reply handle(ControlProtocol.Request request);
    }

    /** Root only, failures logged by a supervisor that only counts (tests). */
    public ControlServer(Path path, String allowedUser, Handler handler) throws IOException {
        this(path, new ControlAccess(allowedUser, null), handler, new Supervisor(code -> { }));
    }

    /**
     * Takes the socket's lock, then binds the socket at {@code path} (replacing a stale one) with the owner,
     * group and mode {@code access} needs.
     *
     * @throws IllegalArgumentException when another uvsd serves {@code path} (its PID named), or a principal
     *     of {@code access} does not exist
     */
    public ControlServer(Path path, ControlAccess access, Handler handler, Supervisor supervisor) throws IOException {
        this.path = path;
        this.access = access;
        this.handler = handler;
        this.supervisor = supervisor;
        access.validate(path);
        this.lock = DaemonLock.take(path);
        ServerSocketChannel s = null;
        try {
            Files.deleteIfExists(path);
            s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(path));
            s.configureBlocking(false);
            access.applyTo(path);
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close();
                Files.deleteIfExists(path);
            }
            lock.close();
            throw e;
        }
        this.server = s;
    }

    /** The socket path. */
    public Path path() {
        return path;
    }

    /** The socket path from {@code UVS_CONTROL_SOCKET}, or the default. */
    public static Path pathFromEnvironment() {
        String p = System.getenv(ENV);
        return Path.of(p == null || p.isBlank() ? DEFAULT_PATH : p);
    }

    /** Sets the handler (before the agent runs). */
    void handler(Handler h) {
        this.handler = h;
    }

    /** Other read and write timeouts, in seconds (tests). */
    void timeouts(int readSeconds, int writeSeconds) {
        readTimeout = readSeconds;
        writeTimeout = writeSeconds;
    }

    /**
     * One duty cycle: accepts up to {@value #ACCEPT_LIMIT} waiting connections, each served on a virtual thread,
     * and closes the connections whose client missed its deadline.
     *
     * @return connections accepted plus connections closed
     * @throws AgentTerminationException (expected) once the server is closed
     */
    @Override
    public int doWork() {
        if (!running) {
            throw new AgentTerminationException(true);
        }
        long now = System.nanoTime();
        return accept(now) + expire(now);
    }

    private int accept(long now) {
        if (acceptPausedUntil != 0 && now - acceptPausedUntil < 0) {
            return 0;
        }
        acceptPausedUntil = 0;
        int n = 0;
        while (n < ACCEPT_LIMIT) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!running) {
                    throw new AgentTerminationException(true);
                }
                String why = Messages.of(e);
                if (!why.equals(acceptProblem)) {
                    LOG.warn("control socket accept failed: {} (retrying every {} ms)", why,
                        ACCEPT_PAUSE_NANOS / 1_000_000);
                    acceptProblem = why;
                }
                acceptPausedUntil = now + ACCEPT_PAUSE_NANOS;
                return n;
            }
            if (ch == null) {
                break;
            }
            acceptProblem = null;
            Client c = new Client(ch);
            open.add(c);
            Thread.ofVirtual().name("uvs-control-client").start(() -> serveClient(c));
            n++;
        }
        return n;
    }

    private int expire(long now) {
        int n = 0;
        for (Client c : open) {
            if (c.expire(now)) {
                n++;
            }
        }
        return n;
    }

    /**
     * How the agent waits for connections: spins and yields briefly after a connection (a script's next command
     * comes right behind), then parks up to 10 ms, which bounds the wait of a new command and how late a missed
     * deadline is noticed.
     */
    public static IdleStrategy idleStrategy() {
        return new BackoffIdleStrategy(10, 5, 1_000, 10_000_000);
    }

    @Override
    public String roleName() {
        return "uvs-control";
    }

    private void serveClient(Client c) {
        boolean slot = slots.tryAcquire();
        try (c.ch) {
            if (!slot) {
                LOG.warn("control socket: {} clients already served; one refused", MAX_CLIENTS);
                reply(c, ControlProtocol.Reply.error(IpvsadmHandler.EXIT_KERNEL_ERROR,
                    "uvsd: busy serving " + MAX_CLIENTS + " other clients; try again"));
                return;
            }
            serve(c);
        } catch (IOException e) {
            if (running) {
                LOG.warn("control connection failed: {}", Messages.of(e));
            }
        } catch (RuntimeException e) {
            supervisor.onError("uvs-control-client", e);
        } catch (Error e) {
            supervisor.fatal("uvs-control-client", e);
        } finally {
            open.remove(c);
            if (slot) {
                slots.release();
            }
        }
    }

    private void serve(Client c) throws IOException {
        UnixDomainPrincipal peer = c.ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (!access.allows(peer)) {
            // refused before a byte of the request is read
            LOG.warn("control request from user {} refused", peer.user().getName());
            reply(c, ControlProtocol.Reply.error(2, NOT_ROOT));
            discardRest(c);
            return;
        }
        ControlProtocol.Request req;
        c.closeAfter(readTimeout);
        try {
            req = ControlProtocol.readRequest(new DataInputStream(Channels.newInputStream(c.ch)));
        } catch (IOException e) {
            if (c.keep()) {
                LOG.warn("control client of user {} sent no whole request within {} s; dropped",
                    peer.user().getName(), readTimeout);
                return;
            }
            reply(c, ControlProtocol.Reply.error(2, "bad request: " + Messages.of(e)));
            discardRest(c);
            return;
        }
        c.keep();
        ControlProtocol.Reply r;
        try {
            r = handler.handle(req);
        } catch (RuntimeException e) {
            // a bug, not bad input: the client still gets an answer, and the failure is counted
            supervisor.onError("uvs-control-client", e);
            r = ControlProtocol.Reply.error(IpvsadmHandler.EXIT_KERNEL_ERROR, "uvsd: internal error: " + Messages.of(e));
        }
        reply(c, r);
    }

    private void reply(Client c, ControlProtocol.Reply reply) throws IOException {
        c.closeAfter(writeTimeout);
        try {
            ControlProtocol.writeReply(new DataOutputStream(Channels.newOutputStream(c.ch)), reply);
            c.ch.shutdownOutput();
        } catch (IOException e) {
            if (c.keep()) {
                LOG.warn("control client did not take its reply within {} s; dropped", writeTimeout);
                return;
            }
            throw e;
        }
        c.keep();
    }

    /**
     * Reads and drops what the client still sends, up to {@value #DISCARD_LIMIT} bytes for at most
     * {@value #DISCARD_SECONDS} s: closing a Unix socket with unread data resets it, and the client would
     * see the reset instead of the reply waiting for it.
     */
    private void discardRest(Client c) {
        c.closeAfter(DISCARD_SECONDS);
        try {
            ByteBuffer b = ByteBuffer.allocate(8192);
            long total = 0;
            int n;
            while (total < DISCARD_LIMIT && (n = c.ch.read(b.clear())) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // closed by the deadline, or by the client: either way done
        } finally {
            c.keep();
        }
    }

    /** Stops accepting, drops open clients, removes the socket and releases its lock. */
    @Override
    public void close() throws IOException {
        if (!running) {
            return;
        }
        running = false;
        try {
            server.close();
            for (Client c : open) {
                c.ch.close();
            }
            // the lock is still held: the socket is ours to remove
            Files.deleteIfExists(path);
        } finally {
            lock.close();
        }
    }

    /** A connection and the deadline of what its client must do now (the agent closes it when it passes). */
    private static final class Client {
        final SocketChannel ch;
        // System.nanoTime() of the deadline; meaningful while armed
        private volatile long deadline;
        private volatile boolean armed;
        private volatile boolean expired;

        Client(SocketChannel ch) {
            this.ch = ch;
        }

        /** From now on, the connection is closed after {@code seconds} unless {@link #keep} is called first. */
        void closeAfter(int seconds) {
            expired = false;
            deadline = System.nanoTime() + seconds * 1_000_000_000L;
            armed = true;
        }

        /** Disarms the deadline; true if it had passed and the connection was closed for it. */
        boolean keep() {
            armed = false;
            return expired;
        }

        /** On the agent's thread: closes the connection if its deadline passed; true if it did. */
        boolean expire(long now) {
            if (!armed || now - deadline < 0) {
                return false;
            }
            armed = false;
            expired = true;
            try {
                ch.close();
            } catch (IOException e) {
                // closing is all that matters
            }
            return true;
        }
    }
}
