package uvs.ctl.cli;

import java.util.List;
import uvs.core.Engine;
import uvs.core.IpvsException;
import uvs.ctl.importer.SourceLocation;
import uvs.ctl.model.Change;
import uvs.ctl.model.ConfigValidator;
import uvs.ctl.model.EngineModel;
import uvs.ctl.model.Problem;
import uvs.ctl.model.RulesBuilder;
import uvs.ctl.model.Timeouts;

/**
 * Applies the commands that change the table (-A -E -D -C -a -e -d -Z --set -R) to an {@link Engine}, each
 * as its {@link Change}, after the one validator ({@link ConfigValidator}, through a {@link RulesBuilder} over the
 * services the command names) has passed it.
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
    private static final SourceLocation COMMAND_AT = new SourceLocation("command line", 1);

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
        if (!isMutating(cmd)) {
            throw new IllegalArgumentException(cmd.getClass().getSimpleName()
                + " does not change the table; it is not applied to an engine");
        }
        // the one validator first, as for -R and the files; the engine's own refusal stays the last word
        RulesBuilder check = RulesBuilder.over(ConfigValidator.standard(), key -> EngineModel.service(engine, key));
        check.apply(cmd, COMMAND_AT);
        if (!check.problems().isEmpty()) {
            throw new IpvsadmException(IpvsadmException.EXIT_ERROR, check.problems().get(0).message());
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
        change(cmd).applyTo(engine);
    }

    /**
     * The engine change of a table-changing command.
     *
     * @throws IllegalArgumentException for a command that does not change the table
     */
    public static Change change(IpvsadmCommand cmd) {
        return switch (cmd) {
            case IpvsadmCommand.AddService a -> new Change.AddService(a.service(), a.config());
            case IpvsadmCommand.EditService e -> new Change.EditService(e.service(), e.config());
            case IpvsadmCommand.DeleteService d -> new Change.DeleteService(d.service());
            case IpvsadmCommand.Clear _ -> new Change.Clear();
            case IpvsadmCommand.AddDest a -> new Change.AddRealServer(a.service(), a.address(), a.port(), a.config());
            case IpvsadmCommand.EditDest e -> new Change.EditRealServer(e.service(), e.address(), e.port(), e.config());
            case IpvsadmCommand.DeleteDest d -> new Change.DeleteRealServer(d.service(), d.address(), d.port());
            case IpvsadmCommand.Zero z -> new Change.ZeroCounters(z.service());
            case IpvsadmCommand.SetTimeouts t -> new Change.SetTimeouts(new Timeouts(t.tcp(), t.tcpfin(), t.udp()));
            default -> throw new IllegalArgumentException(cmd.getClass().getSimpleName()
                + " does not change the table; it is not applied to an engine");
        };
    }

    private static IpvsadmException kernelError(IpvsException e) {
        return new IpvsadmException(IpvsadmException.EXIT_ERROR, e.ipvsadmMessage());
    }
}
