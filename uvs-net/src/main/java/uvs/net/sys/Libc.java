package uvs.net.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls of the data plane through FFM downcalls, each capturing errno into this instance's slot. Raw
 * methods return what libc returns (-1 on failure, then read {@link #errno()}); {@link #check} turns a failure
 * into a {@link NativeException} on the control path. One instance per thread (the errno slot is not shared);
 * raw calls do not allocate.
 */
public final class Libc {
    /** {@code SOCK_RAW}. */
    public static final int SOCK_RAW = 3;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** {@code SOCK_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 1;
    /** {@code POLLIN}. */
    public static final short POLLIN = 1;
    /** {@code MSG_DONTWAIT}. */
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code CLONE_NEWNET}. */
    public static final int CLONE_NEWNET = 0x40000000;
    /** {@code SIOCGIFINDEX} ioctl. */
    public static final long SIOCGIFINDEX = 0x8933;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = handle("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle MMAP = handle("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = handle("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SENDMMSG = handle("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    // ioctl(int, unsigned long, ...) and open(const char *, int, ...) are variadic: the pointer / mode is the
    // first variadic argument, which the x86_64 ABI passes differently from a fixed one.
    private static final MethodHandle IOCTL = handle("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CONNECT = handle("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = handle("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = handle("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = handle("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SENDTO = handle("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code syscall(long nr, ...)} as bpf(2) uses it: (int cmd, union bpf_attr *attr, unsigned int size). */
    private static final MethodHandle SYSCALL_BPF = handle("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(1));
    /** The bpf(2) system call number on x86_64. */
    public static final long SYS_BPF = 321;

    private final MemorySegment callState;

    /** A call context whose errno slot lives in {@code arena} (use it from one thread at a time). */
    public Libc(Arena arena) {
        callState = arena.allocate(CALL_STATE);
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, options);
    }

    /** The errno the last failed call of this instance left. */
    public int errno() {
        return (int) ERRNO.get(callState, 0L);
    }

    /**
     * Returns {@code result} when it is not negative, else throws a {@link NativeException} naming {@code call}
     * (e.g. "setsockopt(PACKET_RX_RING) on eth0") and the errno.
     */
    public int check(int result, String call) {
        if (result < 0) {
            throw new NativeException(call, errno());
        }
        return result;
    }

    /** {@code socket(2)}. */
    public int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(callState, domain, type, protocol);
        } catch (Throwable t) {
            throw fatal("socket", t);
        }
    }

    /** {@code bind(2)}. */
    public int bind(int fd, MemorySegment address, int length) {
        try {
            return (int) BIND.invokeExact(callState, fd, address, length);
        } catch (Throwable t) {
            throw fatal("bind", t);
        }
    }

    /** {@code setsockopt(2)} with the whole of {@code value} as the option. */
    public int setsockopt(int fd, int level, int name, MemorySegment value) {
        try {
            return (int) SETSOCKOPT.invokeExact(callState, fd, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw fatal("setsockopt", t);
        }
    }

    /** {@code setsockopt(2)} with an int option; {@code scratch} holds at least 4 bytes. */
    public int setsockopt(int fd, int level, int name, int value, MemorySegment scratch) {
        MemorySegment slot = scratch.asSlice(0, 4);
        slot.set(JAVA_INT, 0, value);
        return setsockopt(fd, level, name, slot);
    }

    /** {@code getsockopt(2)}: {@code value} receives the option, {@code length} (an int) its size in/out. */
    public int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(callState, fd, level, name, value, length);
        } catch (Throwable t) {
            throw fatal("getsockopt", t);
        }
    }

    /** {@code mmap(2)} of {@code length} bytes; the result is sized, or {@code null} on failure. */
    public MemorySegment mmap(long length, int prot, int flags, int fd, long offset) {
        MemorySegment result;
        try {
            result = (MemorySegment) MMAP.invokeExact(callState, MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw fatal("mmap", t);
        }
        return result.address() == -1L ? null : result.reinterpret(length);
    }

    /** {@code munmap(2)} of the whole segment. */
    public int munmap(MemorySegment mapping) {
        try {
            return (int) MUNMAP.invokeExact(callState, mapping, mapping.byteSize());
        } catch (Throwable t) {
            throw fatal("munmap", t);
        }
    }

    /** {@code connect(2)}. */
    public int connect(int fd, MemorySegment address, int length) {
        try {
            return (int) CONNECT.invokeExact(callState, fd, address, length);
        } catch (Throwable t) {
            throw fatal("connect", t);
        }
    }

    /** {@code send(2)} of the whole of {@code data}. */
    public long send(int fd, MemorySegment data, int flags) {
        try {
            return (long) SEND.invokeExact(callState, fd, data, data.byteSize(), flags);
        } catch (Throwable t) {
            throw fatal("send", t);
        }
    }

    /** {@code recv(2)} into {@code buffer}. */
    public long recv(int fd, MemorySegment buffer, int flags) {
        try {
            return (long) RECV.invokeExact(callState, fd, buffer, buffer.byteSize(), flags);
        } catch (Throwable t) {
            throw fatal("recv", t);
        }
    }

    /** {@code close(2)}. */
    public int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(callState, fd);
        } catch (Throwable t) {
            throw fatal("close", t);
        }
    }

    /** {@code poll(2)} over {@code count} pollfd entries. */
    public int poll(MemorySegment fds, long count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(callState, fds, count, timeoutMillis);
        } catch (Throwable t) {
            throw fatal("poll", t);
        }
    }

    /** {@code sendmmsg(2)} of {@code count} mmsghdr entries starting at {@code messages}. */
    public int sendmmsg(int fd, MemorySegment messages, int count, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(callState, fd, messages, count, flags);
        } catch (Throwable t) {
            throw fatal("sendmmsg", t);
        }
    }

    /** {@code ioctl(2)} with a pointer argument. */
    public int ioctl(int fd, long request, MemorySegment argument) {
        try {
            return (int) IOCTL.invokeExact(callState, fd, request, argument);
        } catch (Throwable t) {
            throw fatal("ioctl", t);
        }
    }

    /** {@code open(2)} of a NUL-terminated path. */
    public int open(MemorySegment path, int flags, int mode) {
        try {
            return (int) OPEN.invokeExact(callState, path, flags, mode);
        } catch (Throwable t) {
            throw fatal("open", t);
        }
    }

    /** {@code setns(2)}: moves the calling thread into the namespace {@code fd} refers to. */
    public int setns(int fd, int nstype) {
        try {
            return (int) SETNS.invokeExact(callState, fd, nstype);
        } catch (Throwable t) {
            throw fatal("setns", t);
        }
    }

    /** {@code if_nametoindex(3)}: the index of a NUL-terminated interface name, 0 (errno set) when unknown. */
    public int ifNameToIndex(MemorySegment name) {
        try {
            return (int) IF_NAMETOINDEX.invokeExact(callState, name);
        } catch (Throwable t) {
            throw fatal("if_nametoindex", t);
        }
    }

    /** {@code sendto(fd, NULL, 0, flags, NULL, 0)}: the kick that makes an AF_XDP socket send its TX ring. */
    public long kick(int fd, int flags) {
        try {
            return (long) SENDTO.invokeExact(callState, fd, MemorySegment.NULL, 0L, flags, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw fatal("sendto", t);
        }
    }

    /** {@code bpf(cmd, attr, size)}: the result (a file descriptor, 0...) or -1 with errno set. */
    public int bpf(int cmd, MemorySegment attr, int size) {
        try {
            return (int) (long) SYSCALL_BPF.invokeExact(callState, SYS_BPF, cmd, attr, size);
        } catch (Throwable t) {
            throw fatal("bpf", t);
        }
    }

    /** The index of interface {@code name} in the calling thread's network namespace. */
    public static int ifIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            int index = libc.ifNameToIndex(arena.allocateFrom(name));
            if (index == 0) {
                throw new NativeException("if_nametoindex(" + name + ")", libc.errno());
            }
            return index;
        }
    }

    private static IllegalStateException fatal(String call, Throwable t) {
        return new IllegalStateException("downcall " + call + " failed", t);
    }
}
