package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** uvsd's cluster options refuse bad values in one line, before anything starts. */
class UvsdClusterOptionsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bgp-as 65100 --bgp-peer-as 65000|uvsd: --bgp-as and --bgp-peer-as need --bgp-peer",
        "--bgp-peer 10.0.0.1 --bgp-as 0 --bgp-peer-as 65000|uvsd: --bgp-as 0: expected an AS number from 1 to 4294967295",
        "--bgp-peer 10.0.0.x --bgp-as 1 --bgp-peer-as 2|uvsd: --bgp-peer '10.0.0.x': not an IPv4 or IPv6 address",
        "--bgp-peer 10.0.0.1 --bgp-as 1 --bgp-peer-as 2 --bfd fast|uvsd: --bfd 'fast': expected off or INTERVAL_MS,MULTIPLIER (e.g. 100,3)",
        "--bgp-peer 10.0.0.1 --bgp-as 1 --bgp-peer-as 2 --bgp-device way-too-long-name|uvsd: --bgp-device 'way-too-long-name': expected 1 to 15 letters, digits, '_', '.' or '-'",
        "--vip-guard --drain-seconds 4000|uvsd: --drain-seconds 4000: expected 0 to 3600"})
    void shouldRefuseBadClusterOptionsInOneLine(String args, String message) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new UvsdMain()).execute((args + " --control-socket /nonexistent/uvs.sock"
                + " --metrics-port -1 --proc-dir none").split(" "));
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo(message);
    }
}
