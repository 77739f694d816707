package uvs.core.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TunablesTest {
    // every sysctl of spec §4 in the kernel's registration order (vs_vars, then lblc, lblcr)
    private static final List<String> KERNEL_ORDER = List.of(
        "amemthresh", "am_droprate", "drop_entry", "drop_packet", "conntrack", "secure_tcp", "snat_reroute",
        "sync_version", "sync_ports", "sync_persist_mode", "sync_qlen_max", "sync_sock_size", "cache_bypass",
        "expire_nodest_conn", "sloppy_tcp", "sloppy_sctp", "expire_quiescent_template", "sync_threshold",
        "sync_refresh_period", "sync_retries", "nat_icmp_send", "pmtu_disc", "backup_only", "conn_reuse_mode",
        "schedule_icmp", "ignore_tunneled", "run_estimation", "est_cpulist", "est_nice", "debug_level",
        "lblc_expiration", "lblcr_expiration");

    private final Tunables t = new Tunables(4);

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
        amemthresh                | 1024
        am_droprate               | 10
        drop_entry                | 0
        drop_packet               | 0
        conntrack                 | 0
        secure_tcp                | 0
        snat_reroute              | 1
        sync_version              | 1
        sync_ports                | 1
        sync_persist_mode         | 0
        sync_qlen_max             | 8192
        sync_sock_size            | 0
        cache_bypass              | 0
        expire_nodest_conn        | 0
        sloppy_tcp                | 0
        sloppy_sctp               | 0
        expire_quiescent_template | 0
        sync_refresh_period       | 0
        sync_retries              | 0
        nat_icmp_send             | 0
        pmtu_disc                 | 1
        backup_only               | 0
        conn_reuse_mode           | 1
        schedule_icmp             | 0
        ignore_tunneled           | 0
        run_estimation            | 1
        est_nice                  | 0
        debug_level               | 0
        lblc_expiration           | 86400
        lblcr_expiration          | 86400
        """)
    void shouldStartWithTheKernelDefault(String name, String expected) {
        // defaults of spec §4; sync_qlen_max is the documented fixed user-space choice
        assertThat(t.get(name)).isEqualTo(expected);
        assertThat(Tunable.byName(name).defaultValue()).isEqualTo(expected);
    }

    @Test
    void shouldStartWithTheKernelDefaultsInTheTypedGetters() {
        assertThat(t.amemthresh()).isEqualTo(1024);
        assertThat(t.amDroprate()).isEqualTo(10);
        assertThat(t.dropEntry()).isZero();
        assertThat(t.dropPacket()).isZero();
        assertThat(t.conntrack()).isZero();
        assertThat(t.secureTcp()).isZero();
        assertThat(t.snatReroute()).isEqualTo(1);
        assertThat(t.syncVersion()).isEqualTo(1);
        assertThat(t.syncPorts()).isEqualTo(1);
        assertThat(t.syncPersistMode()).isZero();
        assertThat(t.syncQlenMax()).isEqualTo(8192L);
        assertThat(t.syncSockSize()).isZero();
        assertThat(t.cacheBypass()).isZero();
        assertThat(t.expireNodestConn()).isZero();
        assertThat(t.sloppyTcp()).isZero();
        assertThat(t.sloppySctp()).isZero();
        assertThat(t.expireQuiescentTemplate()).isZero();
        assertThat(t.syncThreshold()).isEqualTo(3);
        assertThat(t.syncPeriod()).isEqualTo(50);
        assertThat(t.syncRefreshPeriodJiffies()).isZero();
        assertThat(t.syncRetries()).isZero();
        assertThat(t.natIcmpSend()).isZero();
        assertThat(t.pmtuDisc()).isEqualTo(1);
        assertThat(t.backupOnly()).isZero();
        assertThat(t.connReuseMode()).isEqualTo(1);
        assertThat(t.scheduleIcmp()).isZero();
        assertThat(t.ignoreTunneled()).isZero();
        assertThat(t.runEstimation()).isEqualTo(1);
        assertThat(t.estNice()).isZero();
        assertThat(t.debugLevel()).isZero();
        // 24 h = 86400 s × HZ 250 = 21 600 000 jiffies
        assertThat(t.lblcExpirationJiffies()).isEqualTo(21_600_000);
        assertThat(t.lblcrExpirationJiffies()).isEqualTo(21_600_000);
        assertThat(t.estStopped()).isFalse();
    }

    @Test
    void shouldDefaultSyncThresholdToThreeAndFiftyPrintedTabSeparated() {
        assertThat(t.get("sync_threshold")).isEqualTo("3\t50");
    }

    @Test
    void shouldDefaultEstCpulistToEveryCpu() {
        assertThat(t.get("est_cpulist")).isEqualTo("0-3");
        assertThat(new Tunables(1).get("est_cpulist")).isEqualTo("0");
        int n = Runtime.getRuntime().availableProcessors();
        assertThat(new Tunables().cpus()).isEqualTo(n);
    }

    @ParameterizedTest(name = "{0} accepts {1}..{2}")
    @CsvSource(delimiter = '|', textBlock = """
        amemthresh                | -2147483648         | 2147483647
        am_droprate               | -2147483648         | 2147483647
        drop_entry                | 0                   | 3
        drop_packet               | 0                   | 3
        conntrack                 | -2147483648         | 2147483647
        secure_tcp                | 0                   | 3
        snat_reroute              | -2147483648         | 2147483647
        sync_version              | 0                   | 1
        sync_persist_mode         | -2147483648         | 2147483647
        sync_qlen_max             | 0                   | 9223372036854775807
        sync_sock_size            | -2147483648         | 2147483647
        cache_bypass              | -2147483648         | 2147483647
        expire_nodest_conn        | -2147483648         | 2147483647
        sloppy_tcp                | -2147483648         | 2147483647
        sloppy_sctp               | -2147483648         | 2147483647
        expire_quiescent_template | -2147483648         | 2147483647
        sync_refresh_period       | -8589934            | 8589934
        sync_retries              | 0                   | 3
        nat_icmp_send             | -2147483648         | 2147483647
        pmtu_disc                 | -2147483648         | 2147483647
        backup_only               | -2147483648         | 2147483647
        conn_reuse_mode           | -2147483648         | 2147483647
        schedule_icmp             | -2147483648         | 2147483647
        ignore_tunneled           | -2147483648         | 2147483647
        run_estimation            | -2147483648         | 2147483647
        est_nice                  | -20                 | 19
        debug_level               | -2147483648         | 2147483647
        lblc_expiration           | -8589934            | 8589934
        lblcr_expiration          | -8589934            | 8589934
        """)
    void shouldAcceptRangeEdgesAndRefuseOneBeyond(String name, String min, String max) {
        // ranges: proc_dointvec = int; minmax/defense handlers as listed in §4; jiffies handler
        // allows |s| <= INT_MAX / HZ = 2147483647 / 250 = 8589934; ulong capped at Long.MAX_VALUE
        String full = "net.ipv4.vs." + name;
        String below = new BigInteger(min).subtract(BigInteger.ONE).toString();
        String above = new BigInteger(max).add(BigInteger.ONE).toString();
        String unit = name.endsWith("_period") || name.endsWith("_expiration") ? " seconds" : "";

        t.set(name, min);
        assertThat(t.get(name)).isEqualTo(min);
        t.set(name, max);
        assertThat(t.get(name)).isEqualTo(max);

        assertThatThrownBy(() -> t.set(name, below))
            .isInstanceOf(TunableException.class)
            .hasMessage(full + ": " + below + " is out of range " + min + ".." + max + unit);
        assertThatThrownBy(() -> t.set(name, above))
            .isInstanceOf(TunableException.class)
            .hasMessage(full + ": " + above + " is out of range " + min + ".." + max + unit);
        assertThat(t.get(name)).as("unchanged after refusals").isEqualTo(max);
    }

    @Test
    void shouldNameTunableValueAndRangeWhenOutOfRange() {
        assertThatThrownBy(() -> t.set("sync_retries", "7"))
            .isInstanceOf(TunableException.class)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("net.ipv4.vs.sync_retries: 7 is out of range 0..3");
        assertThat(t.syncRetries()).isZero();
    }

    @Test
    void shouldAcceptOnlyPowersOfTwoForSyncPorts() {
        t.set("sync_ports", "1");
        assertThat(t.syncPorts()).isEqualTo(1);
        t.set("sync_ports", "64");
        assertThat(t.syncPorts()).isEqualTo(64);
        // 2^30 is the largest power of two in an int; more than 64 is kept and clamped at daemon start
        t.set("sync_ports", "1073741824");
        assertThat(t.syncPorts()).isEqualTo(1 << 30);
        assertThatThrownBy(() -> t.set("sync_ports", "3"))
            .hasMessage("net.ipv4.vs.sync_ports: 3 is not a power of two (allowed: powers of two 1..1073741824)");
        assertThatThrownBy(() -> t.set("sync_ports", "0"))
            .hasMessage("net.ipv4.vs.sync_ports: 0 is out of range powers of two 1..1073741824");
        assertThatThrownBy(() -> t.set("sync_ports", "2147483648"))
            .hasMessageContaining("2147483648 is out of range");
        assertThatThrownBy(() -> t.set("sync_ports", "-2")).hasMessageContaining("-2 is out of range");
        assertThat(t.syncPorts()).isEqualTo(1 << 30);
    }

    @Test
    void shouldSetBothSyncThresholdValues() {
        t.set("sync_threshold", "5 100");
        assertThat(t.syncThreshold()).isEqualTo(5);
        assertThat(t.syncPeriod()).isEqualTo(100);
        assertThat(t.get("sync_threshold")).isEqualTo("5\t100");
        t.set("sync_threshold", "\t7\t\t9\n");
        assertThat(t.get("sync_threshold")).isEqualTo("7\t9");
    }

    @Test
    void shouldAllowThresholdJustBelowPeriodAndAnyThresholdWithPeriodZero() {
        t.set("sync_threshold", "49 50");
        assertThat(t.get("sync_threshold")).isEqualTo("49\t50");
        t.set("sync_threshold", "60 0");
        assertThat(t.get("sync_threshold")).isEqualTo("60\t0");
        t.set("sync_threshold", "0 0");
        assertThat(t.get("sync_threshold")).isEqualTo("0\t0");
        t.set("sync_threshold", "2147483646 2147483647");
        assertThat(t.get("sync_threshold")).isEqualTo("2147483646\t2147483647");
    }

    @Test
    void shouldRefuseThresholdNotBelowPeriod() {
        assertThatThrownBy(() -> t.set("sync_threshold", "50 50"))
            .isInstanceOf(TunableException.class)
            .hasMessageStartingWith("net.ipv4.vs.sync_threshold: \"50 50\"")
            .hasMessageContaining("threshold must be below period unless period is 0");
        assertThatThrownBy(() -> t.set("sync_threshold", "60 50"))
            .hasMessageContaining("threshold must be below period unless period is 0");
        assertThat(t.get("sync_threshold")).isEqualTo("3\t50");
    }

    @Test
    void shouldRefuseNegativeOrExtraSyncThresholdValues() {
        assertThatThrownBy(() -> t.set("sync_threshold", "-1 50"))
            .hasMessageStartingWith("net.ipv4.vs.sync_threshold: -1 is out of range");
        assertThatThrownBy(() -> t.set("sync_threshold", "3 -50"))
            .hasMessageStartingWith("net.ipv4.vs.sync_threshold: -50 is out of range");
        assertThatThrownBy(() -> t.set("sync_threshold", "1 2 3"))
            .hasMessageStartingWith("net.ipv4.vs.sync_threshold: \"1 2 3\" has more than 2 values");
        assertThatThrownBy(() -> t.set("sync_threshold", ""))
            .hasMessageStartingWith("net.ipv4.vs.sync_threshold: \"\" is not an integer");
        assertThatThrownBy(() -> t.set("sync_threshold", "3 x"))
            .hasMessageStartingWith("net.ipv4.vs.sync_threshold: \"x\" is not an integer");
        assertThat(t.get("sync_threshold")).isEqualTo("3\t50");
    }

    @Test
    void shouldChangeOnlyTheThresholdWhenOneValueIsWritten() {
        // the kernel's two-int proc_dointvec keeps the second value when only one is written
        t.set("sync_threshold", "10");
        assertThat(t.get("sync_threshold")).isEqualTo("10\t50");
        assertThatThrownBy(() -> t.set("sync_threshold", "50"))
            .hasMessageContaining("threshold must be below period unless period is 0");
        assertThat(t.get("sync_threshold")).isEqualTo("10\t50");
    }

    @Test
    void shouldStoreSecondsAsJiffies() {
        // HZ = 250: 10 s = 2500 jiffies, 3600 s = 900 000, -5 s = -1250
        t.set("sync_refresh_period", "10");
        assertThat(t.syncRefreshPeriodJiffies()).isEqualTo(2500);
        assertThat(t.get("sync_refresh_period")).isEqualTo("10");
        t.set("lblc_expiration", "3600");
        assertThat(t.lblcExpirationJiffies()).isEqualTo(900_000);
        assertThat(t.get("lblc_expiration")).isEqualTo("3600");
        t.set("lblcr_expiration", "-5");
        assertThat(t.lblcrExpirationJiffies()).isEqualTo(-1250);
        assertThat(t.get("lblcr_expiration")).isEqualTo("-5");
        // the largest: 8589934 s × 250 = 2147483500 jiffies, still an int
        t.set("sync_refresh_period", "8589934");
        assertThat(t.syncRefreshPeriodJiffies()).isEqualTo(2_147_483_500);
    }

    @Test
    void shouldAcceptEveryNameForm() {
        t.set("sync_retries", "1");
        assertThat(t.syncRetries()).isEqualTo(1);
        t.set("net.ipv4.vs.sync_retries", "2");
        assertThat(t.syncRetries()).isEqualTo(2);
        t.set("net/ipv4/vs/sync_retries", "3");
        assertThat(t.syncRetries()).isEqualTo(3);
        t.set("/proc/sys/net/ipv4/vs/sync_retries", "0");
        assertThat(t.syncRetries()).isZero();
        t.set(Tunable.SYNC_RETRIES, "1");
        assertThat(t.get("net.ipv4.vs.sync_retries")).isEqualTo("1");
        assertThat(t.get("net/ipv4/vs/sync_retries")).isEqualTo("1");
        assertThat(t.get(" sync_retries ")).isEqualTo("1");
        assertThat(Tunable.byName("net/ipv4/vs/lblcr_expiration")).isEqualTo(Tunable.LBLCR_EXPIRATION);
    }

    @Test
    void shouldRefuseUnknownNamesNamingThem() {
        for (String name : List.of("net.ipv4.vs.nope", "nope", "net.ipv4.ip_forward", "timeout_established",
            "SYNC_RETRIES", "net.ipv4.vs.", "net.ipv4.vs.sync_period", "net.ipv6.vs.sync_retries")) {
            assertThatThrownBy(() -> t.set(name, "1"))
                .as(name)
                .isInstanceOf(TunableException.class)
                .hasMessage("\"" + name + "\": no such tunable under net.ipv4.vs.");
            assertThatThrownBy(() -> t.get(name)).as(name).isInstanceOf(TunableException.class);
        }
    }

    @Test
    void shouldParseIntegersLikeProcDointvec() {
        // strtoul base 0: 0x hexadecimal, leading 0 octal; whitespace around is fine
        t.set("amemthresh", "0x10");
        assertThat(t.amemthresh()).isEqualTo(16);
        t.set("amemthresh", "0X1f");
        assertThat(t.amemthresh()).isEqualTo(31);
        t.set("amemthresh", "010");
        assertThat(t.amemthresh()).isEqualTo(8);
        t.set("amemthresh", "-0x10");
        assertThat(t.amemthresh()).isEqualTo(-16);
        t.set("amemthresh", "  42\n");
        assertThat(t.amemthresh()).isEqualTo(42);
        t.set("amemthresh", "-0");
        assertThat(t.amemthresh()).isZero();
        t.set("amemthresh", "0");
        assertThat(t.amemthresh()).isZero();
    }

    @Test
    void shouldRefuseWhatProcDointvecRefuses() {
        t.set("amemthresh", "77");
        for (String bad : List.of("", "  ", "abc", "+1", "1.5", "08", "0x", "0xg", "12abc", "-", "- 1", "1e3")) {
            assertThatThrownBy(() -> t.set("amemthresh", bad))
                .as("\"%s\"", bad)
                .isInstanceOf(TunableException.class)
                .hasMessageStartingWith("net.ipv4.vs.amemthresh: \"")
                .hasMessageContaining("is not an integer (allowed: -2147483648..2147483647)");
        }
        assertThatThrownBy(() -> t.set("amemthresh", "1 2"))
            .hasMessage("net.ipv4.vs.amemthresh: \"1 2\" has more than 1 value (allowed: -2147483648..2147483647)");
        // beyond 64 bits is out of range, not a syntax error
        assertThatThrownBy(() -> t.set("amemthresh", "99999999999999999999999"))
            .hasMessageContaining("99999999999999999999999 is out of range");
        assertThatThrownBy(() -> t.set("sync_qlen_max", "0x10000000000000000"))
            .hasMessageContaining("0x10000000000000000 is out of range 0..9223372036854775807");
        assertThat(t.amemthresh()).isEqualTo(77);
    }

    @Test
    void shouldListNamesInKernelRegistrationOrder() {
        List<String> expected = KERNEL_ORDER.stream().map(n -> "net.ipv4.vs." + n).toList();
        assertThat(Tunables.names()).containsExactlyElementsOf(expected);
        assertThat(Tunable.values()).hasSize(32);
    }

    @Test
    void shouldSnapshotEveryValueInOrder() {
        t.set("sloppy_tcp", "1");
        var snap = t.snapshot();
        assertThat(snap.keySet()).containsExactlyElementsOf(Tunables.names());
        assertThat(snap.get("net.ipv4.vs.sloppy_tcp")).isEqualTo("1");
        assertThat(snap.get("net.ipv4.vs.sync_threshold")).isEqualTo("3\t50");
        assertThat(snap.get("net.ipv4.vs.est_cpulist")).isEqualTo("0-3");
        assertThat(snap.get("net.ipv4.vs.lblc_expiration")).isEqualTo("86400");
        t.set("sloppy_tcp", "0");
        assertThat(snap.get("net.ipv4.vs.sloppy_tcp")).as("a snapshot does not follow changes").isEqualTo("1");
    }

    @Test
    void shouldDescribeEveryTunable() {
        for (Tunable d : Tunable.values()) {
            assertThat(d.fullName()).isEqualTo("net.ipv4.vs." + d.key());
            assertThat(d.description()).as(d.key()).isNotBlank();
            assertThat(Tunable.byName(d.fullName())).isSameAs(d);
        }
        assertThat(Tunable.SYNC_RETRIES.kind()).isEqualTo(Tunable.Kind.INT);
        assertThat(Tunable.SYNC_RETRIES.min()).isZero();
        assertThat(Tunable.SYNC_RETRIES.max()).isEqualTo(3);
        assertThat(Tunable.SYNC_THRESHOLD.kind()).isEqualTo(Tunable.Kind.THRESHOLD);
        assertThat(Tunable.SYNC_REFRESH_PERIOD.kind()).isEqualTo(Tunable.Kind.SECONDS);
        assertThat(Tunable.SYNC_QLEN_MAX.kind()).isEqualTo(Tunable.Kind.ULONG);
        assertThat(Tunable.SYNC_PORTS.kind()).isEqualTo(Tunable.Kind.POWER_OF_TWO);
        assertThat(Tunable.EST_CPULIST.kind()).isEqualTo(Tunable.Kind.CPULIST);
    }

    @Test
    void shouldWriteDefenseModesAsTheEngineSwitchesThem() {
        t.set("drop_packet", "1");
        t.set("drop_packet", "2");
        t.set("secure_tcp", "3");
        t.set("drop_entry", "2");
        assertThat(t.dropPacket()).isEqualTo(2);
        assertThat(t.secureTcp()).isEqualTo(3);
        assertThat(t.dropEntry()).isEqualTo(2);
        assertThatThrownBy(() -> t.set("drop_entry", "4")).hasMessage("net.ipv4.vs.drop_entry: 4 is out of range 0..3");
        assertThatThrownBy(() -> t.set("secure_tcp", "-1")).hasMessage("net.ipv4.vs.secure_tcp: -1 is out of range 0..3");
    }

    @Test
    void shouldRefuseMachinesWithoutCpus() {
        assertThatThrownBy(() -> new Tunables(0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cpus must be at least 1");
    }
}
