package uvs.net.sys;

import java.lang.foreign.Arena;
import java.util.concurrent.Callable;

/**
 * Network namespaces named by iproute2 ({@code /var/run/netns/NAME}). Linux keeps the network namespace per
 * thread, so {@link #enter} moves only the calling platform thread; sockets it opens afterwards (Java's and
 * AF_PACKET ones) belong to that namespace for their whole life, whichever thread later uses them.
 */
public final class Netns {
    private static final String DIR = "/var/run/netns/";

    private Netns() {
    }

    /**
     * Moves the calling thread into namespace {@code name}.
     *
     * @throws NativeException naming the path or setns and the errno when that fails
     * @throws IllegalStateException on a virtual thread (it would move its carrier thread instead)
     */
    public static void enter(String name) {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("cannot enter network namespace " + name + " from a virtual thread");
        }
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("invalid network namespace name '" + name + "'");
        }
        String path = DIR + name;
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            int fd = libc.check(libc.open(arena.allocateFrom(path), Libc.O_RDONLY | Libc.O_CLOEXEC, 0),
                    "open(" + path + ")");
            try {
                libc.check(libc.setns(fd, Libc.CLONE_NEWNET), "setns(" + path + ", CLONE_NEWNET)");
            } finally {
                libc.close(fd);
            }
        }
    }

    /**
     * Runs {@code work} on a new platform thread inside namespace {@code name} and returns its result; an
     * exception of {@code work} (or of entering) is rethrown here as it was thrown.
     */
    public static <T> T call(String name, Callable<T> work) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = Thread.ofPlatform().name("netns-" + name).unstarted(() -> {
            try {
                enter(name);
                result[0] = work.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        thread.start();
        thread.join();
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}
