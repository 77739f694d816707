package uvs.lab.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the bench report as JSON: maps (in their iteration order), lists, strings, integers, and doubles with
 * two decimals, as the other files in bench/results are written. Small maps and lists of numbers stay on one
 * line so the file reads as a table.
 */
public final class Json {
    private static final int INLINE_WIDTH = 100;

    private Json() {}

    /** {@code value} as indented JSON text ending in a newline. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, int indent) {
        String inline = inline(v);
        if (inline != null && inline.length() + indent <= INLINE_WIDTH) {
            sb.append(inline);
            return;
        }
        if (v instanceof Map<?, ?> m) {
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pad(sb, indent + 2).append(string(key(e.getKey()))).append(": ");
                write(sb, e.getValue(), indent + 2);
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            pad(sb, indent).append('}');
        } else if (v instanceof List<?> l) {
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                pad(sb, indent + 2);
                write(sb, l.get(i), indent + 2);
                sb.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            pad(sb, indent).append(']');
        } else {
            sb.append(scalar(v));
        }
    }

    /** The one-line form of maps and lists of scalars (and of scalars), else null. */
    private static String inline(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                    return null;
                }
                sb.append(sb.length() > 1 ? ", " : "").append(string(key(e.getKey()))).append(": ")
                    .append(scalar(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : l) {
                if (o instanceof Map || o instanceof List) {
                    return null;
                }
                sb.append(sb.length() > 1 ? ", " : "").append(scalar(o));
            }
            return sb.append(']').toString();
        }
        return scalar(v);
    }

    private static String key(Object k) {
        if (!(k instanceof String s)) {
            throw new IllegalArgumentException("JSON object key " + k + " is not a string");
        }
        return s;
    }

    private static String scalar(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> string(s);
            case Boolean b -> b.toString();
            case Double d -> number(d);
            case Float f -> number(f.doubleValue());
            case Long l -> l.toString();
            case Integer i -> i.toString();
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getSimpleName() + " as JSON");
        };
    }

    private static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null"; // JSON has no NaN: a ratio over zero is unknown
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static StringBuilder pad(StringBuilder sb, int n) {
        return sb.append(" ".repeat(n));
    }
}
