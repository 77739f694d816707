package uvs.daemon;

import sun.misc.Signal;

/**
 * SIGHUP as operators use it: a reload of uvsd's configuration. Installed before uvsd starts, because the
 * JVM's own SIGHUP handling stops the process: a SIGHUP that arrives while uvsd is still starting is kept and
 * served as soon as it runs.
 */
final class ReloadSignal {
    private Runnable reload;
    private boolean pending;

    ReloadSignal() {}

    /** Takes SIGHUP over from the JVM from now on. */
    static ReloadSignal install() {
        ReloadSignal r = new ReloadSignal();
        Signal.handle(new Signal("HUP"), s -> r.signalled());
        return r;
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
