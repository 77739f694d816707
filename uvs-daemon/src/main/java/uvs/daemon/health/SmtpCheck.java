package uvs.daemon.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import uvs.ctl.health.CheckKind;

/**
 * SMTP check (keepalived SMTP_CHECK, ldirectord service=smtp): the greeting must be 220, {@code HELO name}
 * must be answered 250, then {@code QUIT} and its reply line. With more hosts (keepalived's {@code host}
 * blocks) each is checked in turn and every one must pass.
 */
public final class SmtpCheck implements HealthCheck {
    private final List<InetSocketAddress> targets;
    private final InetSocketAddress source;
    private final CheckKind.Smtp spec;
    private final Duration timeout;

    /** A check of {@code target} and the spec's other hosts, from {@code source} (null = any). */
    public SmtpCheck(InetSocketAddress target, InetSocketAddress source, CheckKind.Smtp spec, Duration timeout) {
        List<InetSocketAddress> t = new ArrayList<>();
        t.add(target);
        t.addAll(spec.hosts());
        this.targets = List.copyOf(t);
        this.source = source;
        this.spec = spec;
        this.timeout = timeout;
    }

    @Override
    public CheckResult run() {
        for (InetSocketAddress t : targets) {
            String failure = dialogue(t);
            if (failure != null) {
                return CheckResult.down(targets.size() == 1 ? failure
                    : t.getAddress().getHostAddress() + ":" + t.getPort() + ": " + failure);
            }
        }
        return CheckResult.up("HELO accepted");
    }

    // null when the server passed, else what went wrong
    private String dialogue(InetSocketAddress target) {
        try (TextDialogue d = TextDialogue.open(target, source, Deadline.after(timeout))) {
            String banner = d.reply();
            if (TextDialogue.code(banner) != 220) {
                return "greeting '" + banner + "' is not 220";
            }
            d.send("HELO " + spec.helo());
            String helo = d.reply();
            if (TextDialogue.code(helo) != 250) {
                return "HELO answered '" + helo + "', not 250";
            }
            d.send("QUIT");
            d.reply();
            return null;
        } catch (IOException e) {
            return LogText.describe(e);
        }
    }
}
