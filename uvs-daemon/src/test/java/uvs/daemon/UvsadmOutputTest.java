package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code uvsadm -S --output FILE}: the option, and the file replaced whole or not at all. */
class UvsadmOutputTest {
    @TempDir
    Path dir;

    @Test
    void shouldTakeOutputOnlyWithSave() {
        List<String> args = new ArrayList<>(List.of("-S", "-n", "--output", "/etc/uvs/rules"));
        assertThat(UvsadmMain.takeOutput(args)).isEqualTo(Path.of("/etc/uvs/rules"));
        assertThat(args).containsExactly("-S", "-n");
        List<String> eq = new ArrayList<>(List.of("--save", "--output=r"));
        assertThat(UvsadmMain.takeOutput(eq)).isEqualTo(Path.of("r"));
        assertThat(UvsadmMain.takeOutput(new ArrayList<>(List.of("-L", "-n")))).isNull();
        assertThatThrownBy(() -> UvsadmMain.takeOutput(new ArrayList<>(List.of("-L", "--output", "x"))))
            .hasMessage("--output goes with -S (--save)");
        assertThatThrownBy(() -> UvsadmMain.takeOutput(new ArrayList<>(List.of("-S", "--output"))))
            .hasMessage("--output needs a file");
    }

    @Test
    void shouldReplaceTheFileWholeKeepingItsModeAndLeaveNoTemporaryFile() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules"), "-A -t 10.0.0.1:80 -s rr\n");
        Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rw-r-----"));
        Object inode = Files.getAttribute(rules, "unix:ino");
        AtomicFile.write(rules, "-A -t 10.0.0.2:80 -s wlc\n".getBytes());
        assertThat(Files.readString(rules)).isEqualTo("-A -t 10.0.0.2:80 -s wlc\n");
        // a new file took the name (a reader holding the old one still reads it whole)
        assertThat(Files.getAttribute(rules, "unix:ino")).isNotEqualTo(inode);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rules)))
            .isEqualTo("rw-r-----");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(rules);
        }
        // a directory that cannot be written: the old file stays as it was
        assertThatThrownBy(() -> AtomicFile.write(dir.resolve("missing/rules"), new byte[1]))
            .isInstanceOf(IOException.class);
    }
}
