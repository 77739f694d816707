package uvs.ctl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ServiceKey;
import uvs.ctl.cli.IpvsadmParser;
import uvs.ctl.format.RulesText;

/** Rules files built into the model: ipvsadm -R's semantics, every problem at its line, and the text written back. */
class RulesBuilderTest {
    private static RulesBuilder build(String text) throws IOException {
        return RulesBuilder.of(ConfigValidator.standard(), "rules", IpvsadmParser.parseRestore(new StringReader(text)));
    }

    @Test
    void shouldApplyRestoreLinesInOrder() throws IOException {
        RulesBuilder b = build("""
            -A -t 10.0.0.1:80 -s rr
            -a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1
            -a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 1
            -e -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 4 -x 10 -y 5
            -A -u 10.0.0.1:53 -s wlc
            -d -t 10.0.0.1:80 -r 10.0.1.2:80
            -D -u 10.0.0.1:53
            --set 900 0 0
            """);

        assertThat(b.problems()).isEmpty();
        DirectorConfig c = b.build();
        assertThat(RulesText.lines(c)).containsExactly("--set 900 0 0", "-A -t 10.0.0.1:80 -s rr",
            "-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 4 -x 10 -y 5");
        // the edit is where the real server was last set
        assertThat(c.services().get(0).realServers().get(0).at().line()).isEqualTo(4);
    }

    @Test
    void shouldReportEveryProblemAtItsLineAndKeepTheRest() throws IOException {
        RulesBuilder b = build("""
            -A -t 10.0.0.1:80 -s rr
            -A -t 10.0.0.1:80 -s wlc
            -a -t 10.0.0.9:80 -r 10.0.1.1:80 -m
            -A -t 10.0.0.2:80 -s nosuch
            -e -t 10.0.0.1:80 -r 10.0.1.7:80 -m
            -a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -x 1 -y 5
            -a -t 10.0.0.1:80 -r 10.0.1.2:80 -m
            -A -t 10.0.0.1:80 -s nosuch
            """);

        // the kernel finds an existing service before it looks the scheduler up (line 8)
        assertThat(b.problems()).extracting(Problem::toString).containsExactly(
            "rules:2: Service already exists",
            "rules:3: Service not defined",
            "rules:4: Scheduler or persistence engine not found",
            "rules:5: No such destination",
            "rules:6: Numerical result out of range",
            "rules:8: Service already exists");
        DirectorConfig c = b.build();
        assertThat(c.services()).hasSize(1);
        assertThat(c.services().get(0).config().scheduler()).isEqualTo("rr");
        assertThat(c.services().get(0).realServers()).hasSize(1);
    }

    @Test
    void shouldStartFromAGivenConfiguration() throws IOException {
        ServiceKey web = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);
        DirectorConfig base = build("-A -t 10.0.0.1:80 -s rr\n").build();
        RulesBuilder b = new RulesBuilder(ConfigValidator.standard(), base);

        b.applyAll("more", IpvsadmParser.parseRestore(new StringReader(
            "-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m\n-A -t 10.0.0.1:80 -s rr\n")));

        assertThat(b.problems()).extracting(Problem::toString).containsExactly("more:2: Service already exists");
        assertThat(b.build().service(web).realServers()).hasSize(1);
    }

    @Test
    void shouldReadALiveTableOnlyWhereTheCommandsTouchIt() throws IOException {
        DirectorConfig live = build("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m\n").build();
        List<ServiceKey> looked = new java.util.ArrayList<>();
        RulesBuilder b = RulesBuilder.over(ConfigValidator.standard(), k -> {
            looked.add(k);
            return live.service(k);
        });

        b.applyAll("-R", IpvsadmParser.parseRestore(new StringReader("""
            -a -t 10.0.0.1:80 -r 10.0.1.1:80 -m
            -D -t 10.0.0.1:80
            -A -t 10.0.0.1:80 -s wlc
            -a -t 10.0.0.1:80 -r 10.0.1.1:80 -m
            -E -u 10.0.0.2:53 -s rr
            -C
            -A -u 10.0.0.2:53 -s rr
            """)));

        assertThat(b.problems()).extracting(Problem::toString).containsExactly("-R:1: Destination already exists",
            "-R:5: No such service");
        // each service is read once; after -C nothing is read
        assertThat(looked).containsExactly(ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80),
            ServiceKey.of(IpProto.UDP, IpAddress.parse("10.0.0.2"), 53));
    }

    @Test
    void shouldValidateAConfigurationBuiltElsewhereCompletely() throws IOException {
        DirectorConfig ok = build("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m\n").build();
        ServiceSpec s = ok.services().get(0);
        // the same service twice, its real server twice, and a bad scheduler: all reported, in line order
        ServiceSpec bad = new ServiceSpec(s.key(), s.config().withPe("nosuch"),
            List.of(s.realServers().get(0), s.realServers().get(0)), new uvs.ctl.importer.SourceLocation("x", 9));
        DirectorConfig c = DirectorConfig.of(List.of(bad, s));

        assertThat(ConfigValidator.standard().validate(c)).extracting(Problem::toString).containsExactly(
            "rules:1: Service already exists",
            "rules:2: Destination already exists",
            "x:9: Scheduler or persistence engine not found");
    }
}
