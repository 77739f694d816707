package uvs.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uvs.core.sched.SchedulerRegistry;
import uvs.core.svc.ServiceFlags;
import uvs.core.tune.Tunables;

/**
 * Reader of scenario files: one {@code key = value} per line, {@code #} starts a comment, blank lines are
 * ignored, every key at most once, {@code tunable.NAME = VALUE} sets an engine sysctl. Errors name the
 * file and line.
 */
public final class ScenarioFile {
    private static final List<String> KEYS = List.of("name", "clients", "new_conns_per_second", "persistent",
        "scheduler", "scheduler_flags", "real_servers", "duration", "traffic", "fail_director_at",
        "director_returns_at", "preempt_delay", "backup_restarts_at", "sync", "sync_loss_percent",
        "sync_latency_ms", "sync_bandwidth_mbit", "sync_reorder_percent", "sync_reliable", "connection_packets",
        "packet_gap_ms", "quiesce_server_at", "real_server_changes", "sample_every", "tick_ms", "persistent_share",
        "idle_gap_ms", "idle_gap_probability", "close", "real_server_weights", "directors", "timeouts",
        "handshake_ms", "reference_ratios");

    private ScenarioFile() {
    }

    /**
     * Reads and validates a scenario file.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException "FILE:LINE: problem" on a bad line, "FILE: problem" on a bad combination
     */
    public static Scenario read(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        return parse(fileName, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses scenario lines; {@code source} is the file name used in messages and the default name.
     *
     * @throws IllegalArgumentException "SOURCE:LINE: problem" on a bad line
     */
    public static Scenario parse(String source, List<String> lines) {
        Map<String, String> values = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        List<Scenario.Tunable> tunables = new ArrayList<>();
        Tunables check = new Tunables();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw error(source, lineNo, "expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.isEmpty()) {
                throw error(source, lineNo, "no value for '" + key + "'");
            }
            if (lineOf.containsKey(key)) {
                throw error(source, lineNo, "'" + key + "' already set on line " + lineOf.get(key));
            }
            if (key.startsWith("tunable.")) {
                String name = key.substring("tunable.".length());
                try {
                    check.set(name, value);
                } catch (IllegalArgumentException e) {
                    throw error(source, lineNo, "tunable " + name + ": " + e.getMessage());
                }
                tunables.add(new Scenario.Tunable(name, value));
            } else if (!KEYS.contains(key)) {
                throw error(source, lineNo, "unknown key '" + key + "' (known: " + String.join(", ", KEYS)
                    + ", tunable.NAME)");
            }
            values.put(key, value);
            lineOf.put(key, lineNo);
        }
        Fields f = new Fields(source, values, lineOf);
        String name = values.getOrDefault("name", source.replaceFirst("\\.[^.]*$", ""));
        String scheduler = values.getOrDefault("scheduler", "wlc");
        if (!SchedulerRegistry.defaultRegistry().contains(scheduler)) {
            throw error(source, lineOf.get("scheduler"), "unknown scheduler '" + scheduler + "'");
        }
        int duration = f.integer("duration", 600, 1, 10_000_000);
        int failAt = f.integer("fail_director_at", 0, 0, duration - 1);
        int returnsAt = f.integer("director_returns_at", 0, 0, duration - 1);
        if (returnsAt > 0 && returnsAt <= failAt || returnsAt > 0 && failAt == 0) {
            throw error(source, lineOf.get("director_returns_at"), "director_returns_at " + returnsAt
                + " must come after fail_director_at");
        }
        int restartsAt = f.integer("backup_restarts_at", 0, 0, duration - 1);
        if (restartsAt > 0 && failAt > 0 && restartsAt >= failAt) {
            throw error(source, lineOf.get("backup_restarts_at"), "backup_restarts_at " + restartsAt
                + " must come before fail_director_at");
        }
        Scenario.Traffic traffic = f.traffic();
        if (traffic == Scenario.Traffic.ECMP && restartsAt > 0) {
            throw error(source, lineOf.get("backup_restarts_at"), "backup_restarts_at needs traffic = standby");
        }
        int realServers = f.integer("real_servers", 10, 1, 250);
        List<Scenario.ServerChange> changes = new ArrayList<>();
        int quiesceAt = f.integer("quiesce_server_at", 0, 0, duration - 1);
        if (quiesceAt > 0) {
            changes.add(new Scenario.ServerChange(quiesceAt, Scenario.ServerAction.QUIESCE, 1));
        }
        changes.addAll(f.serverChanges(duration, realServers));
        changes.sort(Comparator.comparingInt(Scenario.ServerChange::second));
        int persistent = f.integer("persistent", 0, 0, 2_678_400);
        if (persistent == 0 && values.containsKey("persistent_share")) {
            throw error(source, lineOf.get("persistent_share"), "persistent_share needs persistent > 0");
        }
        return new Scenario(name,
            f.integer("clients", 20_000, 1, 16_000_000),
            f.decimal("new_conns_per_second", 500, 0.001, 1_000_000),
            persistent,
            scheduler, f.schedFlags(), realServers, duration, traffic, failAt, returnsAt,
            f.integer("preempt_delay", 30, 0, 86_400), restartsAt,
            f.bool("sync", true),
            new Scenario.SyncLink(f.decimal("sync_loss_percent", 0, 0, 100),
                f.integer("sync_latency_ms", 0, 0, 10_000),
                f.decimal("sync_bandwidth_mbit", 0, 0, 100_000),
                f.decimal("sync_reorder_percent", 0, 0, 100)),
            f.bool("sync_reliable", false),
            f.distribution("connection_packets", 20, 2, 100_000),
            f.distribution("packet_gap_ms", 500, 1, 3_600_000),
            changes,
            f.integer("sample_every", 10, 1, duration),
            f.integer("tick_ms", 100, 10, 1000),
            tunables,
            f.decimal("persistent_share", 1, 0, 1),
            f.distribution("idle_gap_ms", 0, 0, 86_400_000),
            f.decimal("idle_gap_probability", 0, 0, 1),
            f.close(),
            f.weights(realServers),
            f.integer("directors", 2, 2, Scenario.MAX_DIRECTORS),
            f.timeouts(),
            f.integer("handshake_ms", Scenario.HANDSHAKE_AS_GAP, 1, 3_600_000),
            f.referenceRatios());
    }

    private static IllegalArgumentException error(String source, int line, String message) {
        return new IllegalArgumentException(source + ":" + line + ": " + message);
    }

    /** Typed access to the raw values with range checks. */
    private record Fields(String source, Map<String, String> values, Map<String, Integer> lineOf) {
        int integer(String key, int dflt, int min, int max) {
            String v = values.get(key);
            if (v == null) {
                return dflt;
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw error(source, lineOf.get(key), key + ": '" + v + "' is not an integer");
            }
            if (n < min || n > max) {
                throw error(source, lineOf.get(key), key + " " + n + " outside " + min + ".." + max);
            }
            return (int) n;
        }

        double decimal(String key, double dflt, double min, double max) {
            String v = values.get(key);
            if (v == null) {
                return dflt;
            }
            double n;
            try {
                n = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw error(source, lineOf.get(key), key + ": '" + v + "' is not a number");
            }
            if (!(n >= min && n <= max)) {
                throw error(source, lineOf.get(key), key + " " + v + " outside " + min + ".." + max);
            }
            return n;
        }

        /** A plain number or {@code exp:MEAN}, {@code lognormal:MEDIAN:SIGMA}, {@code uniform:MIN:MAX}. */
        Distribution distribution(String key, int dflt, int min, int max) {
            String v = values.get(key);
            if (v == null) {
                return Distribution.fixed(dflt);
            }
            try {
                return Distribution.parse(v, min, max);
            } catch (IllegalArgumentException e) {
                throw error(source, lineOf.get(key), key + ": " + e.getMessage());
            }
        }

        /** {@code fin}, {@code rst}, {@code abandon} or a mix {@code fin:0.8,rst:0.1,abandon:0.1}. */
        /** The three words of {@code key}'s value {@code v}, or an error saying it is not {@code usage}. */
        private String[] threeWords(String key, String v, String usage) {
            String[] parts = v.strip().split("\\s+");
            if (parts.length != 3) {
                throw error(source, lineOf.get(key), key + ": '" + v + "' is not " + usage);
            }
            return parts;
        }

        /** {@code timeouts = TCP TCPFIN UDP}: seconds, 0 = unchanged, checked as {@code ipvsadm --set} checks them. */
        Scenario.Timeouts timeouts() {
            String v = values.get("timeouts");
            if (v == null) {
                return Scenario.Timeouts.UNCHANGED;
            }
            int line = lineOf.get("timeouts");
            String[] parts = threeWords("timeouts", v, "TCP TCPFIN UDP (three numbers of seconds)");
            int[] n = new int[3];
            for (int i = 0; i < 3; i++) {
                try {
                    n[i] = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    throw error(source, line, "timeouts: '" + parts[i] + "' is not a number");
                }
            }
            Scenario.Timeouts t = new Scenario.Timeouts(n[0], n[1], n[2]);
            try {
                t.effectiveSeconds();
            } catch (IllegalArgumentException e) {
                throw error(source, line, "timeouts: " + e.getMessage());
            }
            return t;
        }

        /** {@code reference_ratios = ACTIVE INACT PERSIST}: three percentages 0..1000; absent: none. */
        List<Double> referenceRatios() {
            String v = values.get("reference_ratios");
            if (v == null) {
                return List.of();
            }
            int line = lineOf.get("reference_ratios");
            String[] parts = threeWords("reference_ratios", v, "ACTIVE INACT PERSIST (three percentages)");
            List<Double> out = new ArrayList<>();
            for (String p : parts) {
                double d;
                try {
                    d = Double.parseDouble(p);
                } catch (NumberFormatException e) {
                    throw error(source, line, "reference_ratios: '" + p + "' is not a number");
                }
                if (!(d >= 0 && d <= 1000)) {
                    throw error(source, line, "reference_ratios: " + p + " outside 0..1000");
                }
                out.add(d);
            }
            return out;
        }

        /** {@code real_server_weights = W1, W2, ...}: one weight 0..65535 per real server; absent: all 1. */
        List<Integer> weights(int servers) {
            String v = values.get("real_server_weights");
            if (v == null) {
                return List.of();
            }
            int line = lineOf.get("real_server_weights");
            String[] parts = v.split(",");
            if (parts.length != servers) {
                throw error(source, line, "real_server_weights: " + parts.length + " weights for " + servers
                    + " real servers");
            }
            List<Integer> out = new ArrayList<>();
            for (String p : parts) {
                int w;
                try {
                    w = Integer.parseInt(p.strip());
                } catch (NumberFormatException e) {
                    throw error(source, line, "real_server_weights: '" + p.strip() + "' is not a number");
                }
                if (w < 0 || w > 65_535) {
                    throw error(source, line, "real_server_weights: " + w + " outside 0..65535");
                }
                out.add(w);
            }
            return out;
        }

        CloseMix close() {
            String v = values.get("close");
            if (v == null) {
                return CloseMix.ALL_FIN;
            }
            try {
                return CloseMix.parse(v);
            } catch (IllegalArgumentException e) {
                throw error(source, lineOf.get("close"), "close: " + e.getMessage());
            }
        }

        Scenario.Traffic traffic() {
            String v = values.getOrDefault("traffic", "standby");
            return switch (v) {
                case "standby" -> Scenario.Traffic.STANDBY;
                case "ecmp" -> Scenario.Traffic.ECMP;
                default -> throw error(source, lineOf.get("traffic"), "traffic: '" + v + "' is not standby or ecmp");
            };
        }

        /** ipvsadm's names: sh-fallback/mh-fallback = flag-1, sh-port/mh-port = flag-2, flag-3. */
        int schedFlags() {
            String v = values.get("scheduler_flags");
            if (v == null) {
                return 0;
            }
            int flags = 0;
            for (String part : v.split(",")) {
                flags |= switch (part.strip()) {
                    case "sh-fallback", "mh-fallback", "flag-1" -> ServiceFlags.SCHED1;
                    case "sh-port", "mh-port", "flag-2" -> ServiceFlags.SCHED2;
                    case "flag-3" -> ServiceFlags.SCHED3;
                    default -> throw error(source, lineOf.get("scheduler_flags"), "scheduler_flags: unknown flag '"
                        + part.strip() + "' (known: sh-fallback, sh-port, mh-fallback, mh-port, flag-1..3)");
                };
            }
            return flags;
        }

        /** {@code SECOND ACTION SERVER[, ...]}, ACTION one of quiesce, remove, restore. */
        List<Scenario.ServerChange> serverChanges(int duration, int servers) {
            String v = values.get("real_server_changes");
            List<Scenario.ServerChange> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            int line = lineOf.get("real_server_changes");
            for (String part : v.split(",")) {
                String[] w = part.strip().split("\\s+");
                if (w.length != 3) {
                    throw error(source, line, "real_server_changes: expected 'SECOND ACTION SERVER', got '"
                        + part.strip() + "'");
                }
                int second;
                int server;
                try {
                    second = Integer.parseInt(w[0]);
                    server = Integer.parseInt(w[2]);
                } catch (NumberFormatException e) {
                    throw error(source, line, "real_server_changes: '" + part.strip() + "' has a bad number");
                }
                if (second < 1 || second >= duration) {
                    throw error(source, line, "real_server_changes: second " + second + " outside 1.." + (duration - 1));
                }
                if (server < 1 || server > servers) {
                    throw error(source, line, "real_server_changes: server " + server + " outside 1.." + servers);
                }
                Scenario.ServerAction action = switch (w[1]) {
                    case "quiesce" -> Scenario.ServerAction.QUIESCE;
                    case "remove" -> Scenario.ServerAction.REMOVE;
                    case "restore" -> Scenario.ServerAction.RESTORE;
                    default -> throw error(source, line, "real_server_changes: unknown action '" + w[1]
                        + "' (known: quiesce, remove, restore)");
                };
                out.add(new Scenario.ServerChange(second, action, server));
            }
            return out;
        }

        boolean bool(String key, boolean dflt) {
            String v = values.get(key);
            if (v == null) {
                return dflt;
            }
            return switch (v) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw error(source, lineOf.get(key), key + ": '" + v + "' is not true or false");
            };
        }
    }
}
