package uvs.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source tree's launchers (bin/uvs and bin/lib/launch.sh, copied into a scratch tree whose mvnw only records
 * that it ran): one build at a time, a build only when the jar is missing, a stale jar reported not rebuilt, and
 * no build at all without mvnw (an installed launcher).
 */
class LauncherTest {
    private static final Path BIN = Path.of("..", "bin");
    // an empty zip archive: a jar without the main class, enough for the launcher to hand over to java
    private static final String FAKE_MVNW = """
        #!/bin/sh
        root=$(dirname "$0")
        echo build >> "$root/builds.log"
        sleep 2
        mkdir -p "$root/uvs-lab/target"
        printf 'PK\\005\\006\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000' \
          > "$root/uvs-lab/target/uvs-lab.jar"
        """;

    @Test
    void shouldBuildOnceForTwoCallsAtOnceAndNotRebuildAStaleJar(@TempDir Path root) throws Exception {
        tree(root, true);

        Process a = launch(root);
        Process b = launch(root);
        assertThat(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(root.resolve("builds.log"))).as("builds for two calls at once").hasSize(1);

        Path source = root.resolve("uvs-core/src/main/java/Changed.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Changed {}\n");
        Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Process c = launch(root);
        String err = new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(c.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(err).contains("uvs-lab/target/uvs-lab.jar is older than the sources; 'bin/uvs build' rebuilds it");
        assertThat(Files.readAllLines(root.resolve("builds.log"))).as("no build behind the user's back").hasSize(1);

        Process d = new ProcessBuilder(root.resolve("bin/uvs").toString(), "build").redirectErrorStream(true).start();
        d.getInputStream().readAllBytes();
        assertThat(d.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(d.exitValue()).isZero();
        assertThat(Files.readAllLines(root.resolve("builds.log"))).as("bin/uvs build builds").hasSize(2);
    }

    @Test
    void shouldNeverBuildWithoutMvnw(@TempDir Path root) throws Exception {
        tree(root, false);
        Process p = launch(root);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(err).contains("uvs-lab/target/uvs-lab.jar is missing and this installation cannot build UVS");
        assertThat(root.resolve("builds.log")).doesNotExist();

        // with its jar and a source file newer than it around, it runs the jar as it is
        Path jar = root.resolve("uvs-lab/target/uvs-lab.jar");
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Path source = root.resolve("uvs-core/src/main/java/Changed.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Changed {}\n");
        Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Process q = launch(root);
        String err2 = new String(q.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(err2).doesNotContain("building").doesNotContain("cannot build");
        assertThat(root.resolve("builds.log")).doesNotExist();
    }

    private static void tree(Path root, boolean withMvnw) throws IOException {
        Files.createDirectories(root.resolve("bin/lib"));
        for (String f : List.of("uvs", "uvs-setup", "lib/launch.sh", "lib/jdk.sh", "lib/test-packages")) {
            Files.copy(BIN.resolve(f), root.resolve("bin").resolve(f));
        }
        if (withMvnw) {
            Files.writeString(root.resolve("mvnw"), FAKE_MVNW);
            Files.setPosixFilePermissions(root.resolve("mvnw"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static Process launch(Path root) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/uvs").toString(), "--version");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }
}
