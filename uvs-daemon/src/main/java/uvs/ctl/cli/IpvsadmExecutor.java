package uvs.ctl.cli;

import java.util.List;
import uvs.core.Engine;
import uvs.core.IpvsException;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.VirtualService;
import uvs.time.ManualClock;

/**
 * Applies the commands that change the table (-A -E -D -C -a -e -d -Z --set -R) to an {@link Engine}.
 * A refusal by the engine becomes what ipvsadm prints for a kernel error: the libipvs message (e.g.
 * "Service already exists") with exit code 255.
 *
 * <p>{@code -R} is atomic, unlike ipvsadm (which applies line by line and goes on after a kernel error):
 * every line is first applied to a scratch engine holding a copy of the current services and real
 * servers; only if all lines succeed there are they applied to the real engine. A refused line is
 * reported with its line number and nothing is changed.
 */
public final class IpvsadmExecutor {
    // the scratch engine only holds services, never connections
    private static final int SCRATCH_CONNECTIONS = 16;

    private IpvsadmExecutor() {
    }

    /** True for the commands this class applies (those allowed in restore input, and -R itself). */
    public static boolean isMutating(IpvsadmCommand cmd) {
        return switch (cmd) {
            case IpvsadmCommand.AddService _ -> true;
            case IpvsadmCommand.EditService _ -> true;
            case IpvsadmCommand.DeleteService _ -> true;
            case IpvsadmCommand.Clear _ -> true;
            case IpvsadmCommand.AddDest _ -> true;
            case IpvsadmCommand.EditDest _ -> true;
            case IpvsadmCommand.DeleteDest _ -> true;
            case IpvsadmCommand.Zero _ -> true;
            case IpvsadmCommand.SetTimeouts _ -> true;
            case IpvsadmCommand.Restore _ -> true;
            default -> false;
        };
    }

    /**
     * Applies one command. For {@code -R} the scratch engine is a fresh engine with the default scheduler
     * registry; use {@link #applyRestore} for an engine with other schedulers.
     *
     * @throws IpvsadmException when the engine refuses (exit 255, ipvsadm's message)
     * @throws IllegalArgumentException for a command that does not change the table (-L, -S, daemons, -h, -v)
     */
    public static void apply(Engine engine, IpvsadmCommand cmd) {
        if (cmd instanceof IpvsadmCommand.Restore r) {
            applyRestore(engine, r.lines(), new Engine(new ManualClock(),
                engine.config().withCapacity(SCRATCH_CONNECTIONS, SCRATCH_CONNECTIONS)));
            return;
        }
        try {
            applyOne(engine, cmd);
        } catch (IpvsException e) {
            throw kernelError(e);
        }
    }

    /**
     * Applies restore lines atomically: first to {@code scratch} (an empty engine with the same schedulers
     * as {@code engine}, which receives a copy of its services), then to {@code engine}.
     *
     * @throws IpvsadmException for the first refused line, carrying its line number; nothing is applied
     */
    public static void applyRestore(Engine engine, List<RestoreLine> lines, Engine scratch) {
        if (!scratch.services().isEmpty()) {
            throw new IllegalArgumentException("the scratch engine must be empty");
        }
        for (RestoreLine line : lines) {
            if (!isMutating(line.command()) || line.command() instanceof IpvsadmCommand.Restore) {
                throw new IllegalArgumentException("line " + line.number() + ": "
                    + line.command().getClass().getSimpleName() + " cannot be restored");
            }
        }
        copyServices(engine, scratch);
        applyLines(scratch, lines);
        applyLines(engine, lines);
    }

    private static void applyLines(Engine engine, List<RestoreLine> lines) {
        for (RestoreLine line : lines) {
            try {
                applyOne(engine, line.command());
            } catch (IpvsException e) {
                throw kernelError(e).atLine(line.number());
            }
        }
    }

    private static void copyServices(Engine from, Engine to) {
        for (VirtualService s : from.services()) {
            try {
                to.addService(s.key(), s.config());
                RealServer[] dests = s.dests();
                // added at the head one by one: oldest first keeps the order
                for (int i = dests.length - 1; i >= 0; i--) {
                    RealServer d = dests[i];
                    to.addDest(s.key(), d.address(), d.port(), new RealServerConfig(d.weight(), d.forward(),
                        d.tunnelType(), d.tunnelPort(), d.tunnelChecksum(), d.upperThreshold(), d.lowerThreshold()));
                }
            } catch (IpvsException e) {
                throw new IllegalArgumentException("the scratch engine cannot hold service " + s.key()
                    + " (" + e.getMessage() + "); it needs the same schedulers as the engine", e);
            }
        }
    }

    private static void applyOne(Engine engine, IpvsadmCommand cmd) {
        switch (cmd) {
            case IpvsadmCommand.AddService a -> engine.addService(a.service(), a.config());
            case IpvsadmCommand.EditService e -> engine.editService(e.service(), e.config());
            case IpvsadmCommand.DeleteService d -> engine.deleteService(d.service());
            case IpvsadmCommand.Clear _ -> engine.clear();
            case IpvsadmCommand.AddDest a -> engine.addDest(a.service(), a.address(), a.port(), a.config());
            case IpvsadmCommand.EditDest e -> engine.editDest(e.service(), e.address(), e.port(), e.config());
            case IpvsadmCommand.DeleteDest d -> engine.deleteDest(d.service(), d.address(), d.port());
            case IpvsadmCommand.Zero z -> engine.zero(z.service());
            case IpvsadmCommand.SetTimeouts t -> engine.setTimeouts(t.tcp(), t.tcpfin(), t.udp());
            default -> throw new IllegalArgumentException(cmd.getClass().getSimpleName()
                + " does not change the table; it is not applied to an engine");
        }
    }

    private static IpvsadmException kernelError(IpvsException e) {
        return new IpvsadmException(IpvsadmException.EXIT_ERROR, e.ipvsadmMessage());
    }
}
