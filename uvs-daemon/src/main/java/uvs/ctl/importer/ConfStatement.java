package uvs.ctl.importer;

import java.util.List;

/**
 * One keepalived.conf statement: a keyword with its arguments, and its {@code { }} block if it has one.
 *
 * @param at where the keyword is
 * @param keyword the first word
 * @param args the other words of the statement
 * @param block the statements inside its braces, or null when it has none
 */
record ConfStatement(SourceLocation at, String keyword, List<String> args, List<ConfStatement> block) {
    ConfStatement {
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
    }

    /** True when the statement has a {@code { }} block. */
    boolean hasBlock() {
        return block != null;
    }

    /** Argument {@code i} (0-based), or null. */
    String arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }
}
