package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The one-line stream and persistence summaries: exact text and parsing back. */
class SummaryTest {
    @Test
    void shouldFormatStreamSummaryAsDocumented() {
        StreamSummary s = new StreamSummary(5, 2, 1, 1, 1, 120, new TreeMap<>(Map.of("rs2", 3, "rs1", 2)));
        assertThat(s).hasToString("streams: total 5, alive 2, broken 3 (reset 1, timeout 1, server changed 1), "
            + "replies 120, servers rs1=2 rs2=3");
        assertThat(StreamSummary.parse("final " + s)).isEqualTo(s);
    }

    @Test
    void shouldParseStreamSummaryWithoutServers() {
        StreamSummary s = StreamSummary.parse(
            "progress streams: total 3, alive 0, broken 3 (reset 3, timeout 0, server changed 0), replies 0, servers -");
        assertThat(s.servers()).isEmpty();
        assertThat(s.broken()).isEqualTo(3);
    }

    @Test
    void shouldRejectBadStreamLinesWithMessage() {
        assertThatThrownBy(() -> StreamSummary.parse("hello")).hasMessage("not a stream summary: 'hello'");
        assertThatThrownBy(() -> StreamSummary.parse(
            "streams: total 3, alive 1, broken 1 (reset 2, timeout 0, server changed 0), replies 0, servers -"))
            .hasMessageContaining("broken 1 is not the sum");
        assertThatThrownBy(() -> new StreamSummary(3, 3, 1, 0, 0, 0, new TreeMap<>()))
            .hasMessageContaining("do not add up");
        assertThatThrownBy(() -> StreamSummary.parse(
            "streams: total 1, alive 1, broken 0 (reset 0, timeout 0, server changed 0), replies 0, servers rs1"))
            .hasMessageContaining("server count 'rs1'");
    }

    @Test
    void shouldFormatAndParsePersistenceSummary() {
        PersistenceSummary p = new PersistenceSummary(2, 100, 97, 2, 1, new TreeMap<>(Map.of("rs1", 50, "rs3", 49)));
        assertThat(p).hasToString("persistent: round 2, clients 100, answered 99, kept 97, changed 2, failed 1, "
            + "servers rs1=50 rs3=49");
        assertThat(PersistenceSummary.parse("round " + p)).isEqualTo(p);
        assertThatThrownBy(() -> PersistenceSummary.parse("round persistent: round 1, clients 2, answered 1, kept 2, "
            + "changed 0, failed 0, servers -")).hasMessageContaining("answered 1 is not kept + changed");
        assertThatThrownBy(() -> PersistenceSummary.parse("x")).hasMessage("not a persistence summary: 'x'");
    }

    @Test
    void shouldFindRealServerHeaderCaseInsensitivelyBeforeTheBody() {
        assertThat(PersistentClients.realServer("HTTP/1.1 200 OK\r\nX-real-server: rs2\r\n\r\nrs2\n")).isEqualTo("rs2");
        assertThat(PersistentClients.realServer("HTTP/1.1 200 OK\r\nA: b\r\n\r\nX-Real-Server: rs9\r\n")).isNull();
    }
}
