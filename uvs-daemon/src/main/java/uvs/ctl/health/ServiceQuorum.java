package uvs.ctl.health;

import java.util.List;
import uvs.core.svc.ServiceKey;

/**
 * The quorum of a virtual service (keepalived {@code quorum}, {@code hysteresis}, {@code quorum_up},
 * {@code quorum_down}, {@code omega}): the sum of the weights of its live real servers against a threshold.
 * The quorum is gained when the sum reaches {@code quorum + hysteresis} and lost when it falls below
 * {@code quorum - hysteresis} (or to 0). While it is lost the service's sorry server, if it has one, is in
 * and its live real servers are out; without a sorry server they stay. Every service with checked real
 * servers has one, by default quorum 1 and hysteresis 0: the sorry server comes in when no live server
 * with a weight is left, as in keepalived and ldirectord.
 *
 * @param service the virtual service
 * @param quorum the threshold, at least 1
 * @param hysteresis 0 or more, below {@code quorum}
 * @param onUp command run (without a shell) when the quorum is gained, or empty
 * @param onDown command run when the quorum is lost, or empty
 * @param omega run {@code onDown} when uvsd stops while the quorum is up
 */
public record ServiceQuorum(ServiceKey service, int quorum, int hysteresis, List<String> onUp, List<String> onDown,
                            boolean omega) {
    /** Validates the fields and copies the commands. */
    public ServiceQuorum {
        if (service == null || onUp == null || onDown == null) {
            throw new IllegalArgumentException("service and commands must not be null (no command: empty list)");
        }
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum must be at least 1, got " + quorum + " for " + service);
        }
        if (hysteresis < 0 || hysteresis >= quorum) {
            throw new IllegalArgumentException("hysteresis must be 0.." + (quorum - 1) + ", got " + hysteresis
                + " for " + service);
        }
        onUp = List.copyOf(onUp);
        onDown = List.copyOf(onDown);
    }

    /** Quorum 1, no hysteresis, no commands: what a service has when its configuration says nothing. */
    public static ServiceQuorum defaults(ServiceKey service) {
        return new ServiceQuorum(service, 1, 0, List.of(), List.of(), false);
    }
}
