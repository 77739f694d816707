package uvs.daemon;

import java.util.List;
import java.util.Set;
import uvs.core.svc.ServiceKey;
import uvs.ctl.cli.IpvsadmCommand;
import uvs.ctl.cli.RestoreLine;
import uvs.ctl.model.DirectorConfig;

/**
 * The rule for {@code uvsd --import FILE --rules RULES}: the rules file adds to the imported configuration
 * and never changes it. It may add services the import does not define, with their real servers, and set
 * the timeouts when the import does not; a line about an imported service ({@code -A -E -D -a -e -d}),
 * {@code -C}, or {@code --set} beside the import's own is a conflict, refused with both places named.
 */
final class ExtraRules {
    private ExtraRules() {
    }

    /**
     * Checks {@code extra} (from {@code rulesSource}) against {@code imported} (from {@code importSource}).
     *
     * @throws IllegalArgumentException naming the first conflicting line as {@code rulesSource:LINE: ...}
     */
    static void check(DirectorConfig imported, String importSource, List<RestoreLine> extra, String rulesSource) {
        Set<ServiceKey> services = imported.byKey().keySet();
        boolean timeouts = imported.timeouts() != null;
        for (RestoreLine l : extra) {
            String conflict = switch (l.command()) {
                case IpvsadmCommand.Clear _ -> "-C would clear the imported services";
                case IpvsadmCommand.SetTimeouts _ when timeouts -> "--set: the imported file sets the timeouts";
                default -> {
                    ServiceKey s = service(l.command());
                    yield s != null && services.contains(s) ? "service " + s + " is the imported file's" : null;
                }
            };
            if (conflict != null) {
                throw new IllegalArgumentException(rulesSource + ":" + l.number() + ": " + conflict + " ("
                    + importSource + "); the rules file may only add services and real servers to the import");
            }
        }
    }

    private static ServiceKey service(IpvsadmCommand c) {
        return switch (c) {
            case IpvsadmCommand.AddService a -> a.service();
            case IpvsadmCommand.EditService e -> e.service();
            case IpvsadmCommand.DeleteService d -> d.service();
            case IpvsadmCommand.AddDest a -> a.service();
            case IpvsadmCommand.EditDest e -> e.service();
            case IpvsadmCommand.DeleteDest d -> d.service();
            default -> null;
        };
    }
}
