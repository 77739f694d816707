package uvs.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CountersTest {
    @Test
    void shouldReadOneCounterPerLine() {
        assertThat(Counters.lines("12\n0\n 34 \n5\n", 4)).containsExactly(12, 0, 34, 5);
    }

    @Test
    void shouldNameTheBadCounterLine() {
        assertThatThrownBy(() -> Counters.lines("12\nx\n", 2))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counter line 2 'x'");
        assertThatThrownBy(() -> Counters.lines("12\n", 2))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 2 counter lines, got 1");
    }

    @Test
    void shouldReadDataplaneListing() {
        String listing = """
            interface eth0
            announced [10.100.1.254]
            rx frames 1000 bytes 60000 ring-drops 7
            tx frames 990 bytes 59400 dropped 3
            packets 1000 forwarded 990 replies 0 engine-drops 10
            icmp relayed 0 sent 1; ttl-expired 2 too-big 0 malformed 0
            neighbours 4 requests 5 misses 6 no-route 0 announcements 1
            """;

        Map<String, Long> c = Counters.dataplane(listing);

        assertThat(c).containsEntry("rx.frames", 1000L).containsEntry("rx.ring-drops", 7L)
            .containsEntry("tx.dropped", 3L).containsEntry("packets", 1000L).containsEntry("packets.forwarded", 990L)
            .containsEntry("packets.engine-drops", 10L).containsEntry("icmp.ttl-expired", 2L)
            .containsEntry("neighbours", 4L).containsEntry("neighbours.misses", 6L);
    }

    @Test
    void shouldReadResultLinesOfTheChildren() {
        Map<String, Long> c = Counters.dataplane("sent 123 dropped 4 nanos 5000000000 cpu-ticks 77");
        assertThat(c).containsExactlyInAnyOrderEntriesOf(Map.of("sent", 123L, "sent.dropped", 4L,
            "sent.nanos", 5_000_000_000L, "sent.cpu-ticks", 77L));
    }

    @Test
    void shouldNameMissingDataplaneCounter() {
        assertThatThrownBy(() -> Counters.get(Map.of("a", 1L), "rx.frames"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no counter rx.frames");
    }

    @Test
    void shouldSumSoftnetDropsOverCpus() {
        // second column, hexadecimal: 0x10 + 0x0a = 26
        String softnet = """
            0001e240 00000010 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
            0000ff00 0000000a 00000003 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001
            """;
        assertThat(Counters.softnetDrops(softnet)).isEqualTo(26);
    }
}
