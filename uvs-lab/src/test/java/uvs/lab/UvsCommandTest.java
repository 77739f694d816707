package uvs.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code uvs} command line: demo options and sync tools, their output and their errors. */
class UvsCommandTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = UvsLabMain.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void shouldRefuseBadDemoOptions() {
        String[] r = run("demo", "--streams", "0");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--streams");
        r = run("demo", "--ha", "ospf");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("HA mode 'ospf': expected vrrp, bgp or static");
        r = run("demo", "--kill", "router");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--kill 'router': expected machine or uvsd");
        r = run("demo", "--advert-int", "0");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--advert-int");
    }

    @Test
    void shouldExplainAFileThatIsNotACapture() throws IOException {
        Path f = dir.resolve("x.pcap");
        Files.writeString(f, "hello, this is not a capture at all......");
        String[] r = run("sync", "decode", f.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("not a pcap file");
    }

    @Test
    void shouldNameAMissingInterface() {
        String[] r = run("sync", "listen", "--mcast-interface", "nosuchif0", "--seconds", "1");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("no such interface: nosuchif0");
    }
}
