package uvs.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void shouldAddUtimeAndStimeAfterCommandWithSpacesAndParentheses() {
        // fields: 1 pid, 2 (comm), 3 state, 4..13 ten numbers, 14 utime = 150, 15 stime = 25
        String stat = "4242 (uvs (engine) x) S 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 40 0";
        assertThat(ProcStat.processTicks(stat)).isEqualTo(175);
    }

    @Test
    void shouldRejectWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcStat.processTicks("garbage"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a /proc/PID/stat line");
        assertThatThrownBy(() -> ProcStat.processTicks("1 (x) S 1 2"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("with 5 fields");
    }

    @Test
    void shouldGroupSystemTicks() {
        String procStat = """
            cpu  100 5 30 800 20 2 40 3 0 0
            cpu0 50 2 15 400 10 1 20 1 0 0
            intr 12345
            """;
        ProcStat.CpuTicks t = ProcStat.systemTicks(procStat);
        // user+nice 105, system 30, idle+iowait 820, irq+softirq 42, steal 3
        assertThat(t).isEqualTo(new ProcStat.CpuTicks(105, 30, 820, 42, 3));
        assertThat(t.total()).isEqualTo(1000);
        assertThat(t.minus(new ProcStat.CpuTicks(5, 10, 20, 2, 3))).isEqualTo(new ProcStat.CpuTicks(100, 20, 800, 40, 0));
    }

    @Test
    void shouldFailWithoutAggregateCpuLine() {
        assertThatThrownBy(() -> ProcStat.systemTicks("cpu0 1 2 3 4 5 6 7 8\n"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no aggregate 'cpu ' line");
    }
}
