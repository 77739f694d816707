package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Command-line parsing of the traffic tool. */
class TrafficMainTest {
    @Test
    void shouldParseStreamOptionsAndDefaults() {
        ParseResult r = new CommandLine(new TrafficMain()).parseArgs("streams", "--vip", "fd00:100:2::100",
            "--count", "20", "--interval-ms", "50", "--duration-s", "30");
        TrafficMain.Streams s = (TrafficMain.Streams) r.subcommand().commandSpec().userObject();
        assertThat(s.vip).isEqualTo("fd00:100:2::100");
        assertThat(s.count).isEqualTo(20);
        assertThat(s.intervalMs).isEqualTo(50);
        assertThat(s.durationS).isEqualTo(30);
        assertThat(s.port).isEqualTo(9000);
        assertThat(s.progressMs).isEqualTo(1000);
    }

    @Test
    void shouldParsePersistentOptionsAndDefaults() {
        ParseResult r = new CommandLine(new TrafficMain()).parseArgs("persistent", "--vip", "10.100.2.100",
            "--sources", "10.100.0.100", "--rounds", "2");
        TrafficMain.Persistent p = (TrafficMain.Persistent) r.subcommand().commandSpec().userObject();
        assertThat(p.port).isEqualTo(80);
        assertThat(p.sourceCount).isEqualTo(100);
        assertThat(p.rounds).isEqualTo(2);
        assertThat(p.pauseMs).isEqualTo(1000);
    }

    @Test
    void shouldFailWithoutVip() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TrafficMain());
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("streams", "--count", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--vip=<vip>'");
    }
}
