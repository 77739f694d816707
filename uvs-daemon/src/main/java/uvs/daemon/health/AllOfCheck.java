package uvs.daemon.health;

import java.util.List;
import uvs.ctl.health.CheckKind;

/** The checks of a {@link CheckKind.AllOf} in order: the first failure decides, naming its check. */
final class AllOfCheck implements HealthCheck {
    private final List<HealthCheck> checks;
    private final List<String> names;

    AllOfCheck(List<HealthCheck> checks, List<String> names) {
        this.checks = List.copyOf(checks);
        this.names = List.copyOf(names);
    }

    @Override
    public CheckResult run() {
        int weight = CheckResult.CONFIGURED_WEIGHT;
        for (int i = 0; i < checks.size(); i++) {
            CheckResult r = checks.get(i).run();
            if (!r.up()) {
                return CheckResult.down("check " + (i + 1) + " (" + names.get(i) + "): " + r.detail());
            }
            if (r.weight() != CheckResult.CONFIGURED_WEIGHT) {
                weight = r.weight();
            }
        }
        return new CheckResult(true, weight, "all " + checks.size() + " checks passed");
    }
}
