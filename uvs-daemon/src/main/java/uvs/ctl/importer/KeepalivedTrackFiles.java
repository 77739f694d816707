package uvs.ctl.importer;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * keepalived's top-level {@code track_file NAME { file, weight [reverse], init_file }} blocks, which
 * FILE_CHECKs name. A block no FILE_CHECK names is VRRP's, not UVS's.
 */
final class KeepalivedTrackFiles {
    /**
     * A block a FILE_CHECK reads: its file, and its weight as written (default 1) and {@code reverse}, for a
     * checker without a weight of its own (or with weight 0).
     */
    record Tracked(String name, SourceLocation at, String file, String weight, boolean reverse) {
    }

    private final Map<String, ConfStatement> blocks = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();
    private final List<ConfStatement> top;
    private final Diagnostics d;

    KeepalivedTrackFiles(List<ConfStatement> top, Diagnostics d) {
        this.top = top;
        this.d = d;
        for (ConfStatement s : top) {
            if (s.keyword().equals("track_file") && s.arg(0) != null) {
                blocks.put(s.arg(0), s);
            }
        }
    }

    /** The block called {@code name} that the FILE_CHECK at {@code checker} reads, or null (a warning says why). */
    Tracked resolve(String name, SourceLocation checker) {
        ConfStatement block = blocks.get(name);
        if (block == null) {
            d.warn(checker, "track_file " + name + " is not defined: this FILE_CHECK checks nothing");
            return null;
        }
        used.add(name);
        String file = null;
        String weight = "1";
        boolean reverse = false;
        for (ConfStatement k : block.hasBlock() ? block.block() : List.<ConfStatement>of()) {
            switch (k.keyword()) {
                case "file" -> file = k.arg(0);
                case "weight" -> {
                    weight = k.arg(0) == null ? "1" : k.arg(0);
                    reverse = "reverse".equals(k.arg(1));
                }
                case "init_file" -> d.warn(k.at(), "init_file is not imported: UVS does not write the tracked "
                    + "file; a missing file reads as 0");
                default -> d.warn(k.at(), "unknown track_file keyword '" + k.keyword() + "': ignored");
            }
        }
        if (file == null) {
            d.warn(block.at(), "track_file " + name + " has no file: its FILE_CHECKs check nothing");
            return null;
        }
        return new Tracked(name, block.at(), file, weight, reverse);
    }

    /** The weight of {@code t} as a number, or null when it is not one (a warning says 1 is used). */
    Integer weight(Tracked t) {
        try {
            return Integer.parseInt(t.weight());
        } catch (NumberFormatException e) {
            d.warn(t.at(), "track_file " + t.name() + " weight '" + t.weight() + "' is not a number: 1 is used");
            return null;
        }
    }

    /** Notes each block no FILE_CHECK reads. */
    void reportUnused() {
        for (ConfStatement s : top) {
            if (s.keyword().equals("track_file") && !used.contains(s.arg(0))) {
                d.info(s.at(), "'track_file' does not apply to UVS: ignored");
            }
        }
    }
}
