package uvs.core.proto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a transition table written exactly as in the spec (a markdown table: header {@code | ev | NO | ES |...},
 * one row per event, cells are state abbreviations, a trailing {@code *} marks a secure_tcp difference) so the
 * tests can hold the spec text instead of a second copy of the implementation's arrays.
 */
final class SpecTable {
    private SpecTable() {
    }

    /**
     * Parses one table.
     *
     * @param markdown the table text as in the spec
     * @param columns  the abbreviations the header must list, in order
     * @param legend   abbreviation → state number, from the spec's legend
     * @return row label (e.g. "syn") → next state per column, in row order
     */
    static Map<String, int[]> parse(String markdown, List<String> columns, Map<String, Integer> legend) {
        List<List<String>> lines = new ArrayList<>();
        for (String line : markdown.strip().split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("|---") || t.startsWith("| ---")) {
                continue;
            }
            if (!t.startsWith("|") || !t.endsWith("|")) {
                throw new IllegalArgumentException("not a table line: " + line);
            }
            List<String> cells = new ArrayList<>();
            for (String c : t.substring(1, t.length() - 1).split("\\|")) {
                cells.add(c.strip());
            }
            lines.add(cells);
        }
        List<String> header = lines.get(0);
        if (!header.get(0).equals("ev") || !header.subList(1, header.size()).equals(columns)) {
            throw new IllegalArgumentException("unexpected header " + header + ", expected ev + " + columns);
        }
        Map<String, int[]> rows = new LinkedHashMap<>();
        for (List<String> cells : lines.subList(1, lines.size())) {
            if (cells.size() != columns.size() + 1) {
                throw new IllegalArgumentException("row " + cells + " has " + (cells.size() - 1) + " cells");
            }
            int[] next = new int[columns.size()];
            for (int i = 0; i < next.length; i++) {
                String abbrev = cells.get(i + 1).replace("*", "");
                Integer state = legend.get(abbrev);
                if (state == null) {
                    throw new IllegalArgumentException("unknown state " + abbrev + " in row " + cells);
                }
                next[i] = state;
            }
            if (rows.put(cells.get(0), next) != null) {
                throw new IllegalArgumentException("duplicate row " + cells.get(0));
            }
        }
        return rows;
    }

    /**
     * Compares every cell of a parsed spec table with the handler.
     *
     * @return one line per mismatching cell (empty when all match)
     */
    static List<String> mismatches(ProtocolHandler handler, Map<String, int[]> expected, List<String> columns,
                                   Map<String, Integer> legend, Map<String, Integer> events, int direction,
                                   boolean secure) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, int[]> row : expected.entrySet()) {
            int event = events.get(row.getKey());
            for (int c = 0; c < columns.size(); c++) {
                int from = legend.get(columns.get(c));
                int actual = handler.nextState(from, direction, event, secure);
                if (actual != row.getValue()[c]) {
                    out.add(ConnDirection.name(direction) + " " + row.getKey() + " from " + columns.get(c)
                        + ": expected " + handler.stateName(row.getValue()[c]) + " but was "
                        + handler.stateName(actual));
                }
            }
        }
        return out;
    }
}
