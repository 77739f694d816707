package uvs.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.time.ManualClock;

/** Applying parsed commands to an engine, with ipvsadm's words for refusals (spec §9.1 error texts). */
class IpvsadmExecutorTest {
    private static final ServiceKey WEB = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);
    private static final ServiceKey DNS = ServiceKey.of(IpProto.UDP, IpAddress.parse("10.0.0.1"), 53);

    private Engine engine;

    @BeforeEach
    void setUp() {
        engine = new Engine(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 256));
    }

    private void run(String line) {
        IpvsadmExecutor.apply(engine, ParserAssertions.parse(line));
    }

    private IpvsadmException refusal(String line) {
        return catchThrowableOfType(IpvsadmException.class, () -> run(line));
    }

    private void restore(String text) throws IOException {
        IpvsadmExecutor.apply(engine, new IpvsadmCommand.Restore(IpvsadmParser.parseRestore(new StringReader(text))));
    }

    /** The table as "service: dest:port/weight dest:port/weight" strings in list order. */
    private List<String> table() {
        return engine.services().stream().map(s -> {
            StringBuilder sb = new StringBuilder(s.key().toString()).append(' ').append(s.config().scheduler())
                .append(':');
            for (RealServer d : s.dests()) {
                sb.append(' ').append(d.address()).append(':').append(d.port()).append('/').append(d.weight());
            }
            return sb.toString();
        }).sorted().toList();
    }

    @Test
    void shouldAddEditAndDeleteServices() {
        run("-A -t 10.0.0.1:80 -s rr -p 600");
        VirtualService s = engine.service(WEB);
        assertThat(s.config().scheduler()).isEqualTo("rr");
        assertThat(s.config().isPersistent()).isTrue();
        assertThat(s.config().persistTimeout()).isEqualTo(600);
        // -E replaces everything: no -p means not persistent, no -s means wlc
        run("-E -t 10.0.0.1:80");
        assertThat(engine.service(WEB).config().scheduler()).isEqualTo("wlc");
        assertThat(engine.service(WEB).config().isPersistent()).isFalse();
        run("-D -t 10.0.0.1:80");
        assertThat(engine.service(WEB)).isNull();
    }

    @Test
    void shouldAddEditAndDeleteRealServers() {
        run("-A -t 10.0.0.1:80 -s wlc");
        run("-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 3 -x 100 -y 50");
        run("-a -t 10.0.0.1:80 -r 10.0.0.3:9090");
        RealServer masq = engine.service(WEB).findDest(IpAddress.parse("10.0.0.2"), 8080);
        assertThat(masq.forward()).isEqualTo(ForwardMethod.MASQ);
        assertThat(masq.weight()).isEqualTo(3);
        assertThat(masq.upperThreshold()).isEqualTo(100);
        assertThat(masq.lowerThreshold()).isEqualTo(50);
        // DR: the port was forced to the service port
        assertThat(engine.service(WEB).findDest(IpAddress.parse("10.0.0.3"), 80).forward()).isEqualTo(ForwardMethod.ROUTE);
        run("-e -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 0");
        assertThat(masq.weight()).isZero();
        assertThat(masq.upperThreshold()).isZero();
        run("-d -t 10.0.0.1:80 -r 10.0.0.2:8080");
        assertThat(table()).containsExactly("TCP 10.0.0.1:80 wlc: 10.0.0.3:80/1");
    }

    @Test
    void shouldReportKernelErrorsInIpvsadmWords() {
        run("-A -t 10.0.0.1:80");
        run("-a -t 10.0.0.1:80 -r 10.0.0.2");
        String[][] cases = {
            {"-A -t 10.0.0.1:80", "Service already exists"},
            {"-E -u 10.0.0.1:53", "No such service"},
            {"-D -u 10.0.0.1:53", "No such service"},
            {"-Z -u 10.0.0.1:53", "No such service"},
            {"-a -u 10.0.0.1:53 -r 10.0.0.2", "Service not defined"},
            {"-a -t 10.0.0.1:80 -r 10.0.0.2", "Destination already exists"},
            {"-e -t 10.0.0.1:80 -r 10.0.0.9", "No such destination"},
            {"-d -t 10.0.0.1:80 -r 10.0.0.9", "No such destination"},
            {"-d -u 10.0.0.1:53 -r 10.0.0.2", "Service not defined"},
            {"-A -u 10.0.0.1:53 -s nosuch", "Scheduler or persistence engine not found"},
            {"-A -u 10.0.0.1:53 --pe nosuch", "Scheduler or persistence engine not found"},
            {"-a -t 10.0.0.1:80 -r 10.0.0.3 -x 1 -y 2", "Numerical result out of range"},
        };
        for (String[] c : cases) {
            IpvsadmException e = refusal(c[0]);
            assertThat(e).as(c[0]).isNotNull();
            assertThat(e.ipvsadmMessage()).as(c[0]).isEqualTo(c[1]);
            assertThat(e.exitCode()).as(c[0]).isEqualTo(255);
        }
    }

    @Test
    void shouldClearZeroAndSetTimeouts() {
        run("-A -t 10.0.0.1:80");
        run("-A -u 10.0.0.1:53");
        engine.service(WEB).stats().countConn();
        engine.service(DNS).stats().countConn();
        run("-Z -t 10.0.0.1:80");
        assertThat(engine.service(WEB).stats().conns()).isZero();
        assertThat(engine.service(DNS).stats().conns()).isEqualTo(1);
        run("-Z");
        assertThat(engine.service(DNS).stats().conns()).isZero();
        run("--set 1000 0 200");
        // 0 leaves tcpfin at its default of 120 s (spec §5.7)
        assertThat(engine.timeouts().tcpTcpfinUdpSeconds()).containsExactly(1000, 120, 200);
        run("-C");
        assertThat(engine.services()).isEmpty();
    }

    @Test
    void shouldRefuseCommandsThatDoNotChangeTheTable() {
        assertThat(IpvsadmExecutor.isMutating(new IpvsadmCommand.Save(false))).isFalse();
        assertThatThrownBy(() -> run("-L -n")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("List");
        assertThatThrownBy(() -> run("--start-daemon master")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> run("-h")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRestoreSaveLinesIntoTheEngine() throws IOException {
        restore(String.join("\n", IpvsadmRestoreTest.SAVE_LINES) + "\n");
        // 8 -A lines in SAVE_LINES
        assertThat(engine.services()).hasSize(8);
        assertThat(engine.service(ServiceKey.of(IpProto.TCP, IpAddress.parse("207.175.44.110"), 80)).config().netmask())
            .isEqualTo(0xffff_ff00);
        RealServer gue = engine.service(WEB).findDest(IpAddress.parse("192.168.11.2"), 80);
        assertThat(gue.tunnelPort()).isEqualTo(6080);
        // newest first, as ipvsadm -a adds at the head (spec §7.0)
        assertThat(engine.service(WEB).dests()).extracting(d -> d.address().toString())
            .containsExactly("192.168.11.3", "192.168.11.2", "192.168.11.1");
    }

    @Test
    void shouldApplyNothingWhenARestoreLineIsRefused() throws IOException {
        run("-A -t 10.0.0.1:80 -s rr");
        run("-a -t 10.0.0.1:80 -r 10.0.0.2 -w 5");
        List<String> before = table();
        IpvsadmException e = catchThrowableOfType(IpvsadmException.class, () -> restore(
            "-A -u 10.0.0.1:53\n"
                + "-a -u 10.0.0.1:53 -r 10.0.0.3\n"
                + "-e -t 10.0.0.1:80 -r 10.0.0.2 -w 9\n"
                + "\n"
                + "-A -t 10.0.0.1:80\n"
                + "-C\n"));
        assertThat(e.ipvsadmMessage()).isEqualTo("Service already exists");
        assertThat(e.exitCode()).isEqualTo(255);
        assertThat(e.line()).isEqualTo(5);
        assertThat(table()).isEqualTo(before);
    }

    @Test
    void shouldValidateRestoreLinesAgainstTheCurrentTable() throws IOException {
        run("-A -t 10.0.0.1:80 -s rr");
        run("-a -t 10.0.0.1:80 -r 10.0.0.2 -w 5");
        // line 2 needs the service line 1 deletes
        IpvsadmException e = catchThrowableOfType(IpvsadmException.class,
            () -> restore("-D -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.0.0.3\n"));
        assertThat(e.ipvsadmMessage()).isEqualTo("Service not defined");
        assertThat(e.line()).isEqualTo(2);
        assertThat(table()).containsExactly("TCP 10.0.0.1:80 rr: 10.0.0.2:80/5");
        // a restore building on the current table succeeds
        restore("-a -t 10.0.0.1:80 -r 10.0.0.3 -w 2\n-e -t 10.0.0.1:80 -r 10.0.0.2 -w 7\n");
        assertThat(table()).containsExactly("TCP 10.0.0.1:80 rr: 10.0.0.3:80/2 10.0.0.2:80/7");
    }

    @Test
    void shouldRefuseARestoreWithLinesThatCannotBeApplied() {
        List<RestoreLine> lines = List.of(new RestoreLine(1, new IpvsadmCommand.Clear()),
            new RestoreLine(2, new IpvsadmCommand.Save(true)));
        run("-A -t 10.0.0.1:80");
        assertThatThrownBy(() -> IpvsadmExecutor.apply(engine, new IpvsadmCommand.Restore(lines)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThat(engine.services()).hasSize(1);
    }
}
