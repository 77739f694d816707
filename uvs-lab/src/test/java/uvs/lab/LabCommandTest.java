package uvs.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code uvs lab}: argument errors are reported before anything touches the system. */
class LabCommandTest {
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
    void shouldRejectUnknownModesAndBadPrefix() {
        assertThat(run("lab", "route", "both")).containsExactly("2", "",
            "uvs lab: route mode 'both': expected ecmp, d1 or d2\n");
        assertThat(run("lab", "gateway", "tun")[2]).isEqualTo("uvs lab: gateway mode 'tun': expected dr or nat\n");
        assertThat(run("lab", "status", "--prefix", "UVS")[2]).startsWith("uvs lab: lab prefix 'UVS'");
        assertThat(run("lab", "up", "--route", "x", "--prefix", "uvsx")[2]).contains("route mode 'x'");
    }

    @Test
    void shouldListSubcommandsInUsage() {
        assertThat(run("lab")[1]).contains("up", "down", "status", "route", "gateway", "traffic");
    }
}
