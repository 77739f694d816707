package uvs.ctl.importer;

import java.util.ArrayList;
import java.util.List;
import uvs.ctl.importer.KeepalivedLexer.Token;
import uvs.ctl.importer.KeepalivedLexer.Type;

/**
 * Builds the statement tree from keepalived tokens. A statement ends at the end of its line or at a brace;
 * a '{' opens the block of the statement before it (on the same line, or alone on the next line). A '}'
 * without its '{', or a '{' never closed, is an error at that brace.
 */
final class KeepalivedParser {
    private final List<Token> tokens;
    private final Diagnostics diagnostics;
    private int pos;

    private KeepalivedParser(List<Token> tokens, Diagnostics diagnostics) {
        this.tokens = tokens;
        this.diagnostics = diagnostics;
    }

    /** The top-level statements of the token stream. */
    static List<ConfStatement> parse(List<Token> tokens, Diagnostics d) {
        return new KeepalivedParser(tokens, d).block(null);
    }

    // statements until the '}' matching `opener` (or the end, when opener is null)
    private List<ConfStatement> block(Token opener) {
        List<ConfStatement> out = new ArrayList<>();
        // a statement that may still take a '{' from a following line
        int pendingIndex = -1;
        while (pos < tokens.size()) {
            Token t = tokens.get(pos++);
            switch (t.type()) {
                case EOL -> { }
                case CLOSE -> {
                    if (opener == null) {
                        diagnostics.error(t.at(), "unexpected '}' (no block is open)");
                        continue;
                    }
                    return out;
                }
                case OPEN -> {
                    if (pendingIndex < 0) {
                        diagnostics.error(t.at(), "'{' without a keyword before it");
                        block(t);
                        continue;
                    }
                    ConfStatement s = out.get(pendingIndex);
                    out.set(pendingIndex, new ConfStatement(s.at(), s.keyword(), s.args(), block(t)));
                    pendingIndex = -1;
                }
                case WORD -> {
                    List<String> args = new ArrayList<>();
                    while (pos < tokens.size() && tokens.get(pos).type() == Type.WORD) {
                        args.add(tokens.get(pos++).text());
                    }
                    List<ConfStatement> inner = null;
                    if (pos < tokens.size() && tokens.get(pos).type() == Type.OPEN) {
                        inner = block(tokens.get(pos++));
                    }
                    out.add(new ConfStatement(t.at(), t.text(), args, inner));
                    pendingIndex = inner == null ? out.size() - 1 : -1;
                }
            }
        }
        if (opener != null) {
            diagnostics.error(opener.at(), "'{' is never closed (missing '}')");
        }
        return out;
    }
}
