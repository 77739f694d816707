package uvs.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import uvs.ctl.model.DataPlaneSpec;

/**
 * The data-plane settings a running uvsd cannot change: its ports, workers and engine shards are built for
 * them at start. A reload whose desired settings differ applies everything else and names each of these
 * that needs a restart. uvsd reads them from its command line, so within one process they never differ;
 * the comparison keeps the rule in one place for whatever front end supplies them.
 */
final class StartSettings {
    private record Setting(String name, Function<DataPlaneSpec, Object> value) {
    }

    private static final List<Setting> SETTINGS = List.of(
        new Setting("interfaces (--interface)", DataPlaneSpec::interfaces),
        new Setting("packet I/O (--io)", DataPlaneSpec::io),
        new Setting("workers (--workers)", DataPlaneSpec::workers),
        new Setting("frames per burst (--burst)", DataPlaneSpec::burst),
        new Setting("queue length (--unres-qlen)", DataPlaneSpec::queueLength),
        new Setting("announced addresses (--announce)", DataPlaneSpec::announce),
        new Setting("fast path (--fast-path)", DataPlaneSpec::fastPath),
        new Setting("fast-path entries (--fast-path-entries)", DataPlaneSpec::fastPathEntries));

    private StartSettings() {
    }

    /**
     * Each start-time setting that differs between {@code running} and {@code desired} (either null for no
     * data plane), as {@code name: running -> desired}; empty when a reload can move to {@code desired}.
     */
    static List<String> needingRestart(DataPlaneSpec running, DataPlaneSpec desired) {
        if (running == null || desired == null) {
            return running == desired ? List.of()
                : List.of("data plane: " + describe(running) + " -> " + describe(desired));
        }
        List<String> out = new ArrayList<>();
        for (Setting s : SETTINGS) {
            Object was = s.value().apply(running);
            Object want = s.value().apply(desired);
            if (!Objects.equals(was, want)) {
                out.add(s.name() + ": " + was + " -> " + want);
            }
        }
        return out;
    }

    private static String describe(DataPlaneSpec d) {
        return d == null ? "none (control plane only)" : "on " + d.names();
    }
}
