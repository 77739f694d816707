package uvs.daemon;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP as operators use it: a reload of uvsd's configuration. Installed before uvsd starts, because the
 * JVM's own SIGHUP handling stops the process: a SIGHUP that arrives while uvsd is still starting is kept and
 * served as soon as it runs. A uvsd started with SIGHUP ignored ({@code nohup}, or a parent that ignores it)
 * takes it back: the JVM would otherwise leave it ignored, and a reload would silently never come.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private Runnable reload;
    private boolean pending;

    ReloadSignal() {}

    /** Takes SIGHUP over from the JVM from now on. */
    static ReloadSignal install() {
        ReloadSignal r = new ReloadSignal();
        Signal hup = new Signal("HUP");
        if (Signal.handle(hup, s -> r.signalled()) == SignalHandler.SIG_IGN) {
            restoreDefault(hup.getNumber());
            Signal.handle(hup, s -> r.signalled());
            LOG.info("SIGHUP was ignored when uvsd was started (nohup?); uvsd takes it back: SIGHUP reloads");
        }
        return r;
    }

    /** {@code signal(sig, SIG_DFL)}: the JVM installs no handler for a signal that is ignored. */
    private static void restoreDefault(int sig) {
        Linker linker = Linker.nativeLinker();
        MethodHandle signal = linker.downcallHandle(linker.defaultLookup().find("signal").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        try {
            MemorySegment ignored = (MemorySegment) signal.invokeExact(sig, MemorySegment.NULL); // was SIG_IGN
        } catch (Throwable e) {
            throw new IllegalStateException("signal(SIGHUP, SIG_DFL): " + e.getMessage(), e);
        }
    }

    /** uvsd runs: each SIGHUP starts {@code startReload}, beginning with one that arrived meanwhile. */
    synchronized void running(Runnable startReload) {
        reload = startReload;
        if (pending) {
            pending = false;
            reload.run();
        }
    }

    synchronized void signalled() {
        if (reload == null) {
            pending = true;
        } else {
            reload.run();
        }
    }
}
