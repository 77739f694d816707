package uvs.core.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class SysctlFileTest {
    private final Tunables t = new Tunables(4);

    @Test
    void shouldParseEntriesSkippingCommentsAndBlankLines() {
        SysctlFile f = SysctlFile.parse("ipvs.conf", """
            # director settings
            ; old-style comment

               net.ipv4.vs.sync_persist_mode = 1
            net.ipv4.vs.sync_threshold=3   20
              # indented comment
            -net.ipv4.vs.sloppy_tcp = 1
            net/ipv4/vs/est_cpulist =
            conn_reuse_mode = 0 # not a comment
            """);
        assertThat(f.source()).isEqualTo("ipvs.conf");
        assertThat(f.entries()).containsExactly(
            new SysctlFile.Entry("ipvs.conf", 4, "net.ipv4.vs.sync_persist_mode", "1", false),
            new SysctlFile.Entry("ipvs.conf", 5, "net.ipv4.vs.sync_threshold", "3   20", false),
            new SysctlFile.Entry("ipvs.conf", 7, "net.ipv4.vs.sloppy_tcp", "1", true),
            new SysctlFile.Entry("ipvs.conf", 8, "net/ipv4/vs/est_cpulist", "", false),
            new SysctlFile.Entry("ipvs.conf", 9, "conn_reuse_mode", "0 # not a comment", false));
        assertThat(f.entries().get(2).location()).isEqualTo("ipvs.conf:7");
    }

    @Test
    void shouldReadFromAReaderWithAnyLineEnding() throws IOException {
        SysctlFile f = SysctlFile.read("crlf.conf",
            new StringReader("net.ipv4.vs.sync_retries = 2\r\n\r\nnet.ipv4.vs.sync_version = 0\r\n"));
        assertThat(f.entries()).containsExactly(
            new SysctlFile.Entry("crlf.conf", 1, "net.ipv4.vs.sync_retries", "2", false),
            new SysctlFile.Entry("crlf.conf", 3, "net.ipv4.vs.sync_version", "0", false));
    }

    @Test
    void shouldKeepEverythingAfterTheFirstEqualsSignAsTheValue() {
        SysctlFile f = SysctlFile.parse("f", "a = b = c\n");
        assertThat(f.entries().get(0).name()).isEqualTo("a");
        assertThat(f.entries().get(0).value()).isEqualTo("b = c");
    }

    @Test
    void shouldReportEveryMalformedLineWithFileAndLine() {
        assertThatThrownBy(() -> SysctlFile.parse("bad.conf", """
            net.ipv4.vs.sloppy_tcp = 1
            net.ipv4.vs.sloppy_sctp 1
            = 5
            -
            """))
            .isInstanceOf(TunableException.class)
            .hasMessage("""
                3 malformed lines in bad.conf:
                bad.conf:2: expected "name = value", got "net.ipv4.vs.sloppy_sctp 1"
                bad.conf:3: missing name before '=' in "= 5"
                bad.conf:4: expected "name = value", got "-\"""")
            .satisfies(e -> assertThat(((TunableException) e).problems()).hasSize(3));
    }

    @Test
    void shouldApplyAGoodFileCompletely() {
        List<String> skipped = t.applyAll(SysctlFile.parse("good.conf", """
            net.ipv4.vs.sync_persist_mode = 1
            sloppy_tcp = 1
            net/ipv4/vs/sync_refresh_period = 10
            net.ipv4.vs.sync_threshold = 3 20
            net.ipv4.vs.est_cpulist = 1-2
            """).entries());
        assertThat(skipped).isEmpty();
        assertThat(t.syncPersistMode()).isEqualTo(1);
        assertThat(t.sloppyTcp()).isEqualTo(1);
        assertThat(t.syncRefreshPeriodJiffies()).isEqualTo(2500); // 10 s × HZ 250
        assertThat(t.syncThreshold()).isEqualTo(3);
        assertThat(t.syncPeriod()).isEqualTo(20);
        assertThat(t.get("est_cpulist")).isEqualTo("1-2");
    }

    @Test
    void shouldApplyEntriesInOrderSoLaterOnesSeeEarlierOnes() {
        // "60" alone is valid only because the line before raised the period to 100
        t.applyAll(SysctlFile.parse("order.conf", """
            net.ipv4.vs.sync_threshold = 10 100
            net.ipv4.vs.sync_threshold = 60
            net.ipv4.vs.sync_retries = 1
            net.ipv4.vs.sync_retries = 2
            """).entries());
        assertThat(t.get("sync_threshold")).isEqualTo("60\t100");
        assertThat(t.syncRetries()).isEqualTo(2);
    }

    @Test
    void shouldChangeNothingWhenOneLineIsBad() {
        SysctlFile f = SysctlFile.parse("tunables.conf", """
            net.ipv4.vs.sloppy_tcp = 1
            net.ipv4.vs.sync_threshold = 5 10
            net.ipv4.vs.sync_retries = 7
            net.ipv4.vs.est_cpulist = 0
            """);
        var before = t.snapshot();
        assertThatThrownBy(() -> t.applyAll(f.entries()))
            .isInstanceOf(TunableException.class)
            .hasMessage("""
                1 bad line, nothing applied:
                tunables.conf:3: net.ipv4.vs.sync_retries: 7 is out of range 0..3""");
        assertThat(t.snapshot()).isEqualTo(before);
        assertThat(t.sloppyTcp()).isZero();
        assertThat(t.syncThreshold()).isEqualTo(3);
    }

    @Test
    void shouldListEveryBadLine() {
        SysctlFile f = SysctlFile.parse("many.conf", """
            net.ipv4.vs.nope = 1
            net.ipv4.vs.sloppy_tcp = 1
            net.ipv4.vs.sync_threshold = 50 50
            net.ipv4.vs.amemthresh = lots
            """);
        assertThatThrownBy(() -> t.applyAll(f.entries()))
            .isInstanceOf(TunableException.class)
            .hasMessageStartingWith("3 bad lines, nothing applied:\n")
            .hasMessageContaining("many.conf:1: \"net.ipv4.vs.nope\": no such tunable under net.ipv4.vs.")
            .hasMessageContaining("many.conf:3: net.ipv4.vs.sync_threshold: \"50 50\"")
            .hasMessageContaining("many.conf:4: net.ipv4.vs.amemthresh: \"lots\" is not an integer")
            .satisfies(e -> assertThat(((TunableException) e).problems()).hasSize(3));
        assertThat(t.sloppyTcp()).isZero();
    }

    @Test
    void shouldSkipFailingLinesMarkedWithDashAndApplyTheRest() {
        List<String> skipped = t.applyAll(SysctlFile.parse("dash.conf", """
            -net.ipv4.vs.conntrack_missing = 1
            net.ipv4.vs.sloppy_sctp = 1
            - net.ipv4.vs.sync_retries = 9
            -net.ipv4.vs.backup_only = 1
            """).entries());
        assertThat(skipped).containsExactly(
            "dash.conf:1: \"net.ipv4.vs.conntrack_missing\": no such tunable under net.ipv4.vs.",
            "dash.conf:3: net.ipv4.vs.sync_retries: 9 is out of range 0..3");
        assertThat(t.sloppySctp()).isEqualTo(1);
        assertThat(t.backupOnly()).as("a marked line that works is applied").isEqualTo(1);
        assertThat(t.syncRetries()).isZero();
    }

    @Test
    void shouldApplyAnEmptyFileAsNoChange() {
        var before = t.snapshot();
        assertThat(t.applyAll(SysctlFile.parse("empty.conf", "\n# nothing\n").entries())).isEmpty();
        assertThat(t.snapshot()).isEqualTo(before);
    }
}
