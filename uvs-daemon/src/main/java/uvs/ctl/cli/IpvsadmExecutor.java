package uvs.ctl.cli;

import java.util.List;
import uvs.core.Engine;
import uvs.core.IpvsException;
import uvs.ctl.model.ConfigValidator;
import uvs.ctl.model.EngineModel;
import uvs.ctl.model.Problem;
import uvs.ctl.model.RulesBuilder;

/**
 * Applies the commands that change the table (-A -E -D -C -a -e -d -Z --set -R) to an {@link Engine}.
 * A refusal by the engine becomes what ipvsadm prints for a kernel error: the libipvs message (e.g.
 * "Service already exists") with exit code 255.
 *
 * <p>{@code -R} is atomic, unlike ipvsadm (which applies line by line and goes on after a kernel error):
 * every line is first checked by a {@link RulesBuilder} over the current services and real servers (no
 * scratch engine, no copy of the table); only if all lines pass are they applied to the engine. A refused line is
 * reported with its line number and nothing is changed.
 */
public final class IpvsadmExecutor {
    // the name restore lines are checked under (errors carry only the line number)
    private static final String RESTORE_INPUT = "-R";

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
     * Applies one command.
     *
     * @throws IpvsadmException when the engine refuses (exit 255, ipvsadm's message)
     * @throws IllegalArgumentException for a command that does not change the table (-L, -S, daemons, -h, -v)
     */
    public static void apply(Engine engine, IpvsadmCommand cmd) {
        if (cmd instanceof IpvsadmCommand.Restore r) {
            applyRestore(engine, r.lines());
            return;
        }
        try {
            applyOne(engine, cmd);
        } catch (IpvsException e) {
            throw kernelError(e);
        }
    }

    /**
     * Applies restore lines atomically: first to a {@link RulesBuilder} over the engine's services (checked
     * as the engine would, without changing it), then, only when every line passed, to {@code engine}. Run
     * on the engine's thread, so no other change can come in between.
     *
     * @throws IpvsadmException for the first refused line, carrying its line number; nothing is applied
     */
    public static void applyRestore(Engine engine, List<RestoreLine> lines) {
        for (RestoreLine line : lines) {
            if (!isMutating(line.command()) || line.command() instanceof IpvsadmCommand.Restore) {
                throw new IllegalArgumentException("line " + line.number() + ": "
                    + line.command().getClass().getSimpleName() + " cannot be restored");
            }
        }
        // reads only the services the lines name: the check costs what the lines cost, not the table
        RulesBuilder check = RulesBuilder.over(ConfigValidator.standard(), key -> EngineModel.service(engine, key));
        check.applyAll(RESTORE_INPUT, lines);
        List<Problem> problems = check.problems();
        if (!problems.isEmpty()) {
            Problem first = problems.get(0);
            throw new IpvsadmException(IpvsadmException.EXIT_ERROR, first.message()).atLine(first.line());
        }
        for (RestoreLine line : lines) {
            try {
                applyOne(engine, line.command());
            } catch (IpvsException e) {
                throw kernelError(e).atLine(line.number());
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
