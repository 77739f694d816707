package uvs.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test class of the source tree that needs root or the packages of the set-up step (network namespaces,
 * AF_PACKET, nftables, tshark, another user's identity, the kernel VM) carries the tag of the root tier, itself
 * or through the class it extends, so that the unit tier ({@code mvn test}) needs nothing but a JDK. Every test
 * of the lab's end-to-end package is such a test.
 */
class RootTierTagsTest {
    // what such a test uses: the namespace fixtures, ip netns, tshark, setpriv, nft, the kernel VM, a check for root
    private static final Pattern NEEDS_ROOT = Pattern.compile(
        "NetnsFixture\\.create|E2eLab\\.|TwoArmedLab\\.|KernelLab\\.|\"netns\", \"add\"|Tshark\\.|tsharkProblem"
            + "|\"setpriv\"|/usr/bin/setpriv|\"nft\"|Capabilities\\.current\\(\\)\\.has\\(|\"user\\.name\"");
    private static final Pattern TAGGED = Pattern.compile("@Tag\\(\"root\"\\)|@Tag\\(KernelTier\\.TAG\\)");
    private static final Pattern EXTENDS = Pattern.compile("\\bclass \\w+ extends (\\w+)");

    @Test
    void shouldTagEveryTestThatNeedsRoot() throws IOException {
        List<String> untagged;
        try (Stream<Path> files = Files.walk(Path.of(".."), 8)) {
            untagged = files
                .filter(p -> p.toString().contains("/src/test/java/") && p.getFileName().toString().endsWith("Test.java"))
                .filter(p -> !p.getFileName().toString().equals("RootTierTagsTest.java"))
                .filter(p -> {
                    String text = read(p);
                    boolean needsRoot = NEEDS_ROOT.matcher(text).find() || p.toString().contains("/uvs/lab/e2e/");
                    return needsRoot && !tagged(p, text);
                })
                .map(p -> p.normalize().toString())
                .sorted()
                .toList();
        }
        assertThat(untagged).as("test classes that need root but are not tagged @Tag(\"root\")").isEmpty();
    }

    /** Tagged itself, or extends a class of its package that is. */
    private static boolean tagged(Path p, String text) {
        if (TAGGED.matcher(text).find()) {
            return true;
        }
        Matcher m = EXTENDS.matcher(text);
        if (!m.find()) {
            return false;
        }
        Path base = p.resolveSibling(m.group(1) + ".java");
        return Files.exists(base) && tagged(base, read(base));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }
}
