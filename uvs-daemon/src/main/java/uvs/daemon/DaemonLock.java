package uvs.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One uvsd per control socket: a lock on {@code SOCKET.lock} beside the socket, taken before the socket is
 * touched and held for the daemon's life; the file holds the owner's PID. A second uvsd finds the lock
 * taken and refuses to start, naming the running daemon's PID, and leaves the socket alone. The kernel
 * drops the lock when the process ends, however it ends, so a stale file never blocks a restart.
 */
final class DaemonLock implements AutoCloseable {
    // locks this JVM holds: closing a second channel on the file would drop the process's POSIX lock
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code socket}. */
    static Path lockFile(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code socket}.
     *
     * @throws IllegalArgumentException naming the running daemon's PID when another uvsd holds it
     */
    static DaemonLock take(Path socket) throws IOException {
        Path file = lockFile(socket);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path key = file.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
            throw refused(socket, String.valueOf(ProcessHandle.current().pid()));
        }
        FileChannel ch;
        FileLock lock;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                lock = ch.tryLock();
            } catch (IOException | OverlappingFileLockException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
        if (lock == null) {
            String pid = readPid(ch);
            ch.close();
            HELD.remove(key);
            throw refused(socket, pid);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new DaemonLock(file, ch, lock);
    }

    private static IllegalArgumentException refused(Path socket, String pid) {
        return new IllegalArgumentException("another uvsd (pid " + pid + ") serves " + socket
            + "; stop it first or give another --control-socket");
    }

    private static String readPid(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            return s.matches("\\d+") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The lock file. */
    Path file() {
        return file;
    }

    /** Releases the lock (the file stays: removing it would let two daemons lock two different files). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(file.toAbsolutePath().normalize());
        }
    }
}
