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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket of {@code uvsd}: a Unix domain socket on which each connection carries one
 * {@link ControlProtocol.Request} and gets one reply. Only one uvsd serves a socket ({@link DaemonLock},
 * taken before the socket is touched). Clients are served concurrently, each on its own virtual thread, at
 * most {@value #MAX_CLIENTS} at once; the peer (SO_PEERCRED) is checked before anything is read, and a
 * request must arrive within {@value #READ_TIMEOUT_SECONDS} s and its reply be taken within
 * {@value #WRITE_TIMEOUT_SECONDS} s, so a stalled or hostile client holds up nobody else.
 */
public final class ControlServer implements Runnable, AutoCloseable {
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

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path path;
    private final ControlAccess access;
    private volatile Handler handler;
    private final Supervisor supervisor;
    private final DaemonLock lock;
    private final ServerSocketChannel server;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("uvs-control-timer").daemon().factory());
    private volatile boolean running = true;
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
            access.applyTo(path);
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close();
                Files.deleteIfExists(path);
            }
            lock.close();
            timer.shutdownNow();
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

    /** Sets the handler (before {@link #run} starts). */
    void handler(Handler h) {
        this.handler = h;
    }

    /** Other read and write timeouts, in seconds (tests). */
    void timeouts(int readSeconds, int writeSeconds) {
        readTimeout = readSeconds;
        writeTimeout = writeSeconds;
    }

    /** True while the accept loop should run (a supervisor restarts it while this holds). */
    public boolean running() {
        return running;
    }

    /** The accept loop: hands each connection to a virtual thread. */
    @Override
    public void run() {
        while (running) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.warn("control socket accept failed: {}", Messages.of(e));
                    // e.g. out of file descriptors: do not spin
                    LockSupport.parkNanos(100_000_000L);
                }
                continue;
            }
            open.add(ch);
            Thread.ofVirtual().name("uvs-control-client").start(() -> serveClient(ch));
        }
    }

    private void serveClient(SocketChannel ch) {
        boolean slot = slots.tryAcquire();
        try (ch) {
            if (!slot) {
                LOG.warn("control socket: {} clients already served; one refused", MAX_CLIENTS);
                reply(ch, ControlProtocol.Reply.error(IpvsadmHandler.EXIT_KERNEL_ERROR,
                    "uvsd: busy serving " + MAX_CLIENTS + " other clients; try again"));
                return;
            }
            serve(ch);
        } catch (IOException e) {
            if (running) {
                LOG.warn("control connection failed: {}", Messages.of(e));
            }
        } catch (RuntimeException e) {
            supervisor.onError("uvs-control-client", e);
        } catch (Error e) {
            supervisor.fatal("uvs-control-client", e);
        } finally {
            open.remove(ch);
            if (slot) {
                slots.release();
            }
        }
    }

    private void serve(SocketChannel ch) throws IOException {
        UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (!access.allows(peer)) {
            // refused before a byte of the request is read
            LOG.warn("control request from user {} refused", peer.user().getName());
            reply(ch, ControlProtocol.Reply.error(2, NOT_ROOT));
            discardRest(ch);
            return;
        }
        ControlProtocol.Request req;
        ScheduledFuture<?> deadline = closeAfter(ch, readTimeout);
        try {
            req = ControlProtocol.readRequest(new DataInputStream(Channels.newInputStream(ch)));
        } catch (IOException e) {
            if (deadline.isDone()) {
                LOG.warn("control client of user {} sent no whole request within {} s; dropped",
                    peer.user().getName(), readTimeout);
                return;
            }
            reply(ch, ControlProtocol.Reply.error(2, "bad request: " + Messages.of(e)));
            discardRest(ch);
            return;
        } finally {
            deadline.cancel(false);
        }
        ControlProtocol.Reply r;
        try {
            r = handler.handle(req);
        } catch (RuntimeException e) {
            // a bug, not bad input: the client still gets an answer, and the failure is counted
            supervisor.onError("uvs-control-client", e);
            r = ControlProtocol.Reply.error(IpvsadmHandler.EXIT_KERNEL_ERROR, "uvsd: internal error: " + Messages.of(e));
        }
        reply(ch, r);
    }

    private void reply(SocketChannel ch, ControlProtocol.Reply reply) throws IOException {
        ScheduledFuture<?> deadline = closeAfter(ch, writeTimeout);
        try {
            ControlProtocol.writeReply(new DataOutputStream(Channels.newOutputStream(ch)), reply);
            ch.shutdownOutput();
        } catch (IOException e) {
            if (deadline.isDone()) {
                LOG.warn("control client did not take its reply within {} s; dropped", writeTimeout);
                return;
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * Reads and drops what the client still sends, up to {@value #DISCARD_LIMIT} bytes for at most
     * {@value #DISCARD_SECONDS} s: closing a Unix socket with unread data resets it, and the client would
     * see the reset instead of the reply waiting for it.
     */
    private void discardRest(SocketChannel ch) {
        ScheduledFuture<?> deadline = closeAfter(ch, DISCARD_SECONDS);
        try {
            ByteBuffer b = ByteBuffer.allocate(8192);
            long total = 0;
            int n;
            while (total < DISCARD_LIMIT && (n = ch.read(b.clear())) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // closed by the deadline, or by the client: either way done
        } finally {
            deadline.cancel(false);
        }
    }

    /** Closes {@code ch} after {@code seconds}: a blocked read or write then fails. */
    private ScheduledFuture<?> closeAfter(SocketChannel ch, int seconds) {
        return timer.schedule(() -> {
            try {
                ch.close();
            } catch (IOException e) {
                // closing is all that matters
            }
        }, seconds, TimeUnit.SECONDS);
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
            for (SocketChannel ch : open) {
                ch.close();
            }
            timer.shutdownNow();
            // the lock is still held: the socket is ours to remove
            Files.deleteIfExists(path);
        } finally {
            lock.close();
        }
    }
}
