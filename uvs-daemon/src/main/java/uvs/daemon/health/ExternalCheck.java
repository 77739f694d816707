package uvs.daemon.health;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import uvs.ctl.health.CheckKind;

/**
 * External command check (keepalived MISC_CHECK, ldirectord external); see {@link CheckKind.External}
 * for the meaning of exit codes.
 */
public final class ExternalCheck implements HealthCheck {
    /** keepalived {@code misc_dynamic}: exit codes from this value up carry weight {@code code - 2}. */
    public static final int DYNAMIC_WEIGHT_BASE = 2;

    private final CheckKind.External spec;
    private final Duration timeout;

    /** A check running {@code spec}'s command. */
    public ExternalCheck(CheckKind.External spec, Duration timeout) {
        this.spec = spec;
        this.timeout = timeout;
    }

    @Override
    public CheckResult run() {
        Process p;
        try {
            p = new ProcessBuilder(spec.command())
                .redirectInput(Redirect.from(new File("/dev/null")))
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD)
                .start();
        } catch (IOException e) {
            return CheckResult.down("cannot run " + spec.command().getFirst() + ": " + LogText.describe(e));
        }
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(p);
                return CheckResult.down("still running after " + timeout.toMillis() + " ms: killed");
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            return CheckResult.down("interrupted: killed");
        }
        return exitCode(p.exitValue(), spec.dynamicWeight());
    }

    /** What exit code {@code code} means, with or without {@code misc_dynamic}. */
    static CheckResult exitCode(int code, boolean dynamicWeight) {
        if (code == 0) {
            return CheckResult.up("exit 0");
        }
        if (dynamicWeight && code >= DYNAMIC_WEIGHT_BASE && code <= 255) {
            return CheckResult.upWithWeight(code - DYNAMIC_WEIGHT_BASE, "exit " + code);
        }
        return CheckResult.down("exit " + code);
    }

    // children first, so a shell's child does not outlive it
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
