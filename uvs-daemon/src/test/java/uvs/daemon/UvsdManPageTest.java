package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** uvsd(8), which the packages install, describes every option uvsd takes. */
class UvsdManPageTest {
    private static final Path MAN = Path.of("..", "packaging", "man", "uvsd.8");
    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z0-9-]*");

    @Test
    void everyOptionHasAnEntryInTheManPage() throws IOException {
        // an entry's first line is .B or .BI; roff writes a hyphen in an option as \-
        Set<String> described = Files.readAllLines(MAN).stream()
            .filter(l -> l.startsWith(".B ") || l.startsWith(".BI "))
            .flatMap(l -> OPTION.matcher(l.replace("\\-", "-")).results().map(MatchResult::group))
            .collect(Collectors.toSet());
        List<String> options = new CommandLine(new UvsdMain()).getCommandSpec().options().stream()
            .map(OptionSpec::longestName).filter(n -> !n.equals("--help")).toList();
        assertThat(options).contains("--interface", "--fast-path", "--drain-seconds");
        assertThat(described).containsAll(options);
    }
}
