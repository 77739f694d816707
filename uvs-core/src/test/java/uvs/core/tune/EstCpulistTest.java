package uvs.core.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EstCpulistTest {
    // a machine of 8 CPUs, 0..7
    private final Tunables t = new Tunables(8);

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
        0-1,3        | 0-1,3
        3,1,0        | 0-1,3
        5            | 5
        0-7          | 0-7
        all          | 0-7
        ALL          | 0-7
        N            | 7
        4-N          | 4-7
        0-7:1/2      | 0,2,4,6
        0-7:2/4      | 0-1,4-5
        all:1/4      | 0,4
        1-6:0/2      | ''
        0,,2         | 0,2
        '0 2\t4'     | 0,2,4
        ' ,1, '      | 1
        0-2,1-3      | 0-3
        """)
    void shouldParseCpuListsLikeTheKernel(String text, String printed) {
        // bitmap_parselist: "a-b:used/group" keeps the first `used` CPUs of every `group` from a;
        // printed back as "%*pbl" ranges
        t.set("est_cpulist", text);
        assertThat(t.get("est_cpulist")).isEqualTo(printed);
    }

    @Test
    void shouldStopEstimationWhenTheListIsEmpty() {
        t.set("est_cpulist", "");
        assertThat(t.get("est_cpulist")).isEmpty();
        assertThat(t.estCpulist().isEmpty()).isTrue();
        assertThat(t.estStopped()).isTrue();
        t.set("est_cpulist", "2");
        assertThat(t.estStopped()).isFalse();
        t.set("run_estimation", "0");
        assertThat(t.estStopped()).isTrue();
    }

    @Test
    void shouldReturnACopyOfTheCpuSet() {
        t.set("est_cpulist", "1,3");
        BitSet cpus = t.estCpulist();
        BitSet expected = new BitSet();
        expected.set(1);
        expected.set(3);
        assertThat(cpus).isEqualTo(expected);
        cpus.clear();
        assertThat(t.get("est_cpulist")).isEqualTo("1,3");
    }

    @Test
    void shouldRefuseCpusBeyondTheMachine() {
        t.set("est_cpulist", "1");
        assertThatThrownBy(() -> t.set("est_cpulist", "0-8"))
            .isInstanceOf(TunableException.class)
            .hasMessage("net.ipv4.vs.est_cpulist: \"0-8\" names CPU 8, out of range 0..7");
        assertThatThrownBy(() -> t.set("est_cpulist", "99999999999"))
            .hasMessage("net.ipv4.vs.est_cpulist: \"99999999999\" names CPU 99999999999, out of range 0..7");
        assertThat(t.get("est_cpulist")).isEqualTo("1");
    }

    @Test
    void shouldRefuseMalformedLists() {
        t.set("est_cpulist", "1");
        for (String bad : List.of("3-1", "x", "1-", "-1", "1-2-3", "0-7:3/2", "0-7:1/0", "0-7:1", "0-7:1/",
            "allx", "1;2", "0x1", "N5")) {
            assertThatThrownBy(() -> t.set("est_cpulist", bad))
                .as("\"%s\"", bad)
                .isInstanceOf(TunableException.class)
                .hasMessage("net.ipv4.vs.est_cpulist: \"" + bad
                    + "\" is not a CPU list (allowed: a CPU list such as \"0-1,3\" of CPUs 0..7)");
        }
        assertThat(t.get("est_cpulist")).isEqualTo("1");
    }
}
