package uvs.core.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import uvs.core.PacketHeader;
import uvs.core.net.IpProto;

class SctpProtocolTest {
    // Column order and abbreviations of spec §5.5; numbers from the "#" column of its state table.
    private static final List<String> COLUMNS =
        List.of("NO", "I1", "IN", "CS", "CR", "CW", "CO", "CE", "ES", "SS", "SR", "SA", "RJ", "CL");
    private static final Map<String, Integer> LEGEND = Map.ofEntries(
        Map.entry("NO", 0), Map.entry("I1", 1), Map.entry("IN", 2), Map.entry("CS", 3), Map.entry("CR", 4),
        Map.entry("CW", 5), Map.entry("CO", 6), Map.entry("CE", 7), Map.entry("ES", 8), Map.entry("SS", 9),
        Map.entry("SR", 10), Map.entry("SA", 11), Map.entry("RJ", 12), Map.entry("CL", 13));
    private static final Map<String, Integer> EVENTS = Map.of(
        "d", SctpEvent.DATA, "i", SctpEvent.INIT, "i_a", SctpEvent.INIT_ACK, "c_e", SctpEvent.COOKIE_ECHO,
        "c_a", SctpEvent.COOKIE_ACK, "s", SctpEvent.SHUTDOWN, "s_a", SctpEvent.SHUTDOWN_ACK,
        "s_c", SctpEvent.SHUTDOWN_COMPLETE, "err", SctpEvent.ERROR, "ab", SctpEvent.ABORT);

    // Spec §5.5 tables, copied verbatim.
    private static final String INPUT = """
        | ev | NO | I1 | IN | CS | CR | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
        | d | ES | I1 | IN | CS | CR | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        | i | I1 | IN | IN | CS | CR | CW | CO | CE | ES | SS | SR | SA | IN | IN |
        | i_a | CW | CW | CW | CS | CR | CO | CO | CE | ES | SS | SR | SA | RJ | CL |
        | c_e | CR | IN | IN | CR | CR | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        | c_a | ES | I1 | IN | CS | CR | CW | CO | ES | ES | SS | SR | SA | RJ | CL |
        | s | SR | I1 | IN | CS | CR | CW | CO | CE | SR | SS | SR | SA | RJ | CL |
        | s_a | CL | IN | IN | CS | CR | CW | CO | CE | ES | CL | SR | CL | RJ | CL |
        | s_c | CL | CL | CL | CS | CR | CW | CO | CE | ES | SS | SR | CL | RJ | CL |
        | err | CL | I1 | IN | CS | CR | CW | CO | CL | ES | SS | SR | SA | RJ | CL |
        | ab | CL | CL | CL | CL | CL | RJ | CL | CL | CL | CL | CL | CL | CL | CL |
        """;
    private static final String OUTPUT = """
        | ev | NO | I1 | IN | CS | CR | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
        | d | ES | I1 | IN | CS | CR | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        | i | CW | CW | CW | CW | CW | CW | CW | CW | ES | CW | CW | CW | CW | CW |
        | i_a | CS | CS | CS | CS | CR | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        | c_e | CE | CE | CE | CE | CE | CE | CE | CE | ES | SS | SR | SA | RJ | CL |
        | c_a | ES | ES | ES | ES | ES | ES | ES | ES | ES | SS | SR | SA | RJ | CL |
        | s | SS | SS | SS | SS | SS | SS | SS | SS | SS | SS | SR | SA | RJ | CL |
        | s_a | SA | SA | SA | SA | SA | CW | CO | CE | ES | SA | SA | SA | RJ | CL |
        | s_c | CL | I1 | IN | CS | CR | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        | err | CL | CL | CL | CL | CL | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        | ab | CL | RJ | CL | CL | CL | CL | CL | CL | CL | CL | CL | CL | CL | CL |
        """;
    private static final String INPUT_ONLY = """
        | ev | NO | I1 | IN | CS | CR | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
        | d | ES | I1 | IN | CS | CR | ES | CO | CE | ES | SS | SR | SA | RJ | CL |
        | i | I1 | IN | IN | IN | IN | IN | CO | CE | ES | SS | SR | SA | IN | IN |
        | i_a | CE | CE | CE | CE | CE | CE | CO | CE | ES | SS | SR | SA | RJ | CL |
        | c_e | ES | ES | ES | ES | ES | ES | CO | CE | ES | SS | SR | SA | RJ | CL |
        | c_a | ES | I1 | IN | ES | ES | CW | ES | ES | ES | SS | SR | SA | RJ | CL |
        | s | SR | I1 | IN | CS | CR | CW | CO | CE | SR | SS | SR | SA | RJ | CL |
        | s_a | CL | IN | IN | CS | CR | CW | CO | CE | CL | CL | SR | CL | RJ | CL |
        | s_c | CL | CL | CL | CL | CL | CW | CO | CE | ES | SS | CL | CL | RJ | CL |
        | err | CL | I1 | IN | CS | CR | CW | CO | CE | ES | SS | SR | SA | RJ | CL |
        | ab | CL | CL | CL | CL | CL | RJ | CL | CL | CL | CL | CL | CL | CL | CL |
        """;

    private final SctpProtocol sctp = Protocols.SCTP;
    private final ProtocolTimeouts timeouts = new ProtocolTimeouts();
    private final PacketHeader packet = new PacketHeader();

    static Stream<Arguments> specTables() {
        // SCTP has no secure_tcp variant: the same table must answer whatever the flag says
        return Stream.of(
            Arguments.of("INPUT", INPUT, ConnDirection.INPUT, false),
            Arguments.of("OUTPUT", OUTPUT, ConnDirection.OUTPUT, false),
            Arguments.of("INPUT-ONLY", INPUT_ONLY, ConnDirection.INPUT_ONLY, false),
            Arguments.of("INPUT, secure_tcp on", INPUT, ConnDirection.INPUT, true),
            Arguments.of("OUTPUT, secure_tcp on", OUTPUT, ConnDirection.OUTPUT, true),
            Arguments.of("INPUT-ONLY, secure_tcp on", INPUT_ONLY, ConnDirection.INPUT_ONLY, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specTables")
    void shouldMatchEveryCellOfSpecTable(String name, String table, int direction, boolean secure) {
        Map<String, int[]> expected = SpecTable.parse(table, COLUMNS, LEGEND);

        List<String> mismatches = SpecTable.mismatches(sctp, expected, COLUMNS, LEGEND, EVENTS, direction, secure);

        assertThat(expected.keySet()).as(name)
            .containsExactly("d", "i", "i_a", "c_e", "c_a", "s", "s_a", "s_c", "err", "ab");
        assertThat(mismatches).as(name).isEmpty();
    }

    @ParameterizedTest(name = "chunk {0} then {1} -> {2}")
    @CsvSource({
        // spec §5.5: the first chunk decides; chunk type numbers from RFC 9260 §3.2
        "0, -1, DATA",
        "1, -1, INIT",
        "2, -1, INIT_ACK",
        "3, -1, DATA",               // SACK
        "4, -1, DATA",               // HEARTBEAT
        "5, -1, DATA",               // HEARTBEAT ACK
        "6, -1, ABORT",
        "7, -1, SHUTDOWN",
        "8, -1, SHUTDOWN_ACK",
        "9, -1, ERROR",
        "10, -1, COOKIE_ECHO",
        "11, -1, COOKIE_ACK",
        "12, -1, DATA",              // ECNE
        "13, -1, DATA",              // CWR
        "14, -1, SHUTDOWN_COMPLETE",
        "15, -1, DATA",              // AUTH: unknown to the table
        "64, -1, DATA",              // I-DATA
        "192, -1, DATA",             // FORWARD-TSN
        "255, -1, DATA",
        // COOKIE-ECHO / COOKIE-ACK followed by ABORT count as ABORT
        "10, 6, ABORT",
        "11, 6, ABORT",
        "10, 0, COOKIE_ECHO",
        "11, 0, COOKIE_ACK",
        // ...but no other first chunk is overridden by a following ABORT
        "0, 6, DATA",
        "1, 6, INIT",
        "7, 6, SHUTDOWN",
        "9, 6, ERROR",
    })
    void shouldClassifyPacketByFirstChunk(int first, int next, String event) {
        packet.sctpChunkType = first;
        packet.sctpNextChunkType = next;

        assertThat(sctp.event(packet)).isEqualTo(switch (event) {
            case "DATA" -> SctpEvent.DATA;
            case "INIT" -> SctpEvent.INIT;
            case "INIT_ACK" -> SctpEvent.INIT_ACK;
            case "COOKIE_ECHO" -> SctpEvent.COOKIE_ECHO;
            case "COOKIE_ACK" -> SctpEvent.COOKIE_ACK;
            case "SHUTDOWN" -> SctpEvent.SHUTDOWN;
            case "SHUTDOWN_ACK" -> SctpEvent.SHUTDOWN_ACK;
            case "SHUTDOWN_COMPLETE" -> SctpEvent.SHUTDOWN_COMPLETE;
            case "ERROR" -> SctpEvent.ERROR;
            default -> SctpEvent.ABORT;
        });
    }

    @ParameterizedTest(name = "chunk {0} then {1}, sloppy {2} -> {3}")
    @CsvSource({
        // spec §5.3: first chunk ABORT never; INIT always; with sloppy_sctp any other first chunk
        "1, -1, false, true",
        "1, -1, true, true",
        "0, -1, false, false",
        "0, -1, true, true",
        "10, -1, false, false",
        "10, -1, true, true",
        "6, -1, false, false",
        "6, -1, true, false",
        "10, 6, true, true",    // only the first chunk is checked here
        "200, -1, true, true",
    })
    void shouldAllowConnCreationOnlyAsSpecSays(int first, int next, boolean sloppy, boolean expected) {
        packet.sctpChunkType = first;
        packet.sctpNextChunkType = next;

        assertThat(sctp.canCreate(packet, sloppy)).isEqualTo(expected);
    }

    @Test
    void shouldCountOnlyEstablishedAsActive() {
        List<Integer> active = new ArrayList<>();
        for (int s = -1; s <= 14; s++) {
            if (sctp.isActiveState(s)) {
                active.add(s);
            }
        }
        // spec §5.5: only ESTABLISHED (8)
        assertThat(active).containsExactly(8);
    }

    @Test
    void shouldLetOnlySpecStatesPassTheSyncFilter() {
        List<Integer> sync = new ArrayList<>();
        for (int s = -1; s <= 14; s++) {
            if (sctp.isSyncState(s)) {
                sync.add(s);
            }
        }
        // spec §2.3 step 1: ES(8), SHUTDOWN_SENT(9), SHUTDOWN_RECEIVED(10), SHUTDOWN_ACK_SENT(11), CLOSED(13)
        assertThat(sync).containsExactly(8, 9, 10, 11, 13);
    }

    @Test
    void shouldAssureTemplateOnlyWhenEnteringEstablished() {
        for (int s = 0; s <= 13; s++) {
            for (int direction = 0; direction < 3; direction++) {
                assertThat(sctp.assuresTemplate(s, direction)).as("state %d dir %d", s, direction).isEqualTo(s == 8);
            }
        }
    }

    @Test
    void shouldUseDisplayNames() {
        List<String> names = new ArrayList<>();
        for (int s = 0; s < sctp.stateCount(); s++) {
            names.add(sctp.stateName(s));
        }

        assertThat(names).containsExactly("NONE", "INIT1", "INIT", "C-SENT", "C-REPLIED", "C-WAIT", "COOKIE",
            "C-ECHOED", "ESTABLISHED", "S-SENT", "S-RECEIVED", "S-ACK-SENT", "REJECTED", "CLOSED");
        assertThat(sctp.stateName(14)).isEqualTo("ERR!");
        assertThat(sctp.protocol()).isEqualTo(IpProto.SCTP);
        assertThat(sctp.eventCount()).isEqualTo(10);
    }

    @Test
    void shouldSetUpAndShutDownNatAssociationStartedByClient() {
        // §5.5 tables; timeouts from the §5.5 state table (s)
        Assoc a = new Assoc();
        a.step(ConnDirection.INPUT, SctpChunkType.INIT);          // INPUT i from NO
        a.expect("INIT1", 4);
        a.step(ConnDirection.OUTPUT, SctpChunkType.INIT_ACK);     // OUTPUT i_a from I1
        a.expect("C-SENT", 61);
        a.step(ConnDirection.INPUT, SctpChunkType.COOKIE_ECHO);   // INPUT c_e from CS
        a.expect("C-REPLIED", 61);
        a.step(ConnDirection.OUTPUT, SctpChunkType.COOKIE_ACK);   // OUTPUT c_a from CR
        a.expect("ESTABLISHED", 900);
        a.step(ConnDirection.INPUT, SctpChunkType.DATA);
        a.step(ConnDirection.OUTPUT, SctpChunkType.SACK);
        a.expect("ESTABLISHED", 900);
        a.step(ConnDirection.INPUT, SctpChunkType.SHUTDOWN);      // INPUT s from ES
        a.expect("S-RECEIVED", 61);
        a.step(ConnDirection.OUTPUT, SctpChunkType.SHUTDOWN_ACK); // OUTPUT s_a from SR
        a.expect("S-ACK-SENT", 61);
        a.step(ConnDirection.INPUT, SctpChunkType.SHUTDOWN_COMPLETE); // INPUT s_c from SA
        a.expect("CLOSED", 61);
    }

    @Test
    void shouldShutDownNatAssociationStartedByServer() {
        Assoc a = new Assoc();
        a.step(ConnDirection.INPUT, SctpChunkType.INIT);
        a.step(ConnDirection.OUTPUT, SctpChunkType.INIT_ACK);
        a.step(ConnDirection.INPUT, SctpChunkType.COOKIE_ECHO);
        a.step(ConnDirection.OUTPUT, SctpChunkType.COOKIE_ACK);
        a.expect("ESTABLISHED", 900);
        a.step(ConnDirection.OUTPUT, SctpChunkType.SHUTDOWN);     // OUTPUT s from ES
        a.expect("S-SENT", 61);
        a.step(ConnDirection.INPUT, SctpChunkType.SHUTDOWN_ACK);  // INPUT s_a from SS
        a.expect("CLOSED", 61);
        a.step(ConnDirection.OUTPUT, SctpChunkType.SHUTDOWN_COMPLETE); // OUTPUT s_c from CL
        a.expect("CLOSED", 61);
    }

    @Test
    void shouldSetUpAndShutDownDirectRoutingAssociation() {
        // NOOUTPUT conn: only client packets, INPUT-ONLY table
        Assoc a = new Assoc();
        a.step(ConnDirection.INPUT_ONLY, SctpChunkType.INIT);         // i from NO
        a.expect("INIT1", 4);
        a.step(ConnDirection.INPUT_ONLY, SctpChunkType.INIT);         // retransmitted INIT: i from I1
        a.expect("INIT", 61);
        a.step(ConnDirection.INPUT_ONLY, SctpChunkType.COOKIE_ECHO);  // c_e from IN
        a.expect("ESTABLISHED", 900);
        a.step(ConnDirection.INPUT_ONLY, SctpChunkType.HEARTBEAT);
        a.expect("ESTABLISHED", 900);
        a.step(ConnDirection.INPUT_ONLY, SctpChunkType.SHUTDOWN);     // s from ES
        a.expect("S-RECEIVED", 61);
        a.step(ConnDirection.INPUT_ONLY, SctpChunkType.SHUTDOWN_COMPLETE); // s_c from SR
        a.expect("CLOSED", 61);
    }

    @Test
    void shouldRejectAssociationWhenServerAbortsInit() {
        Assoc a = new Assoc();
        a.step(ConnDirection.INPUT, SctpChunkType.INIT);
        a.step(ConnDirection.OUTPUT, SctpChunkType.ABORT);        // OUTPUT ab from I1
        a.expect("REJECTED", 4);
        a.step(ConnDirection.INPUT, SctpChunkType.INIT);          // INPUT i from RJ: a new attempt
        a.expect("INIT", 61);
    }

    @Test
    void shouldAbortOnCookieEchoBundledWithAbort() {
        Assoc a = new Assoc();
        a.step(ConnDirection.INPUT, SctpChunkType.INIT);
        a.step(ConnDirection.OUTPUT, SctpChunkType.INIT_ACK);
        a.expect("C-SENT", 61);
        packet.sctpNextChunkType = SctpChunkType.ABORT;
        a.step(ConnDirection.INPUT, SctpChunkType.COOKIE_ECHO);   // counts as ab: INPUT ab from CS
        a.expect("CLOSED", 61);
    }

    /** An association's state and timeout as the engine keeps them. */
    private final class Assoc {
        private int state;
        private int timeout;

        void step(int direction, int chunkType) {
            packet.sctpChunkType = chunkType;
            state = sctp.nextState(state, direction, sctp.event(packet), false);
            timeout = timeouts.timeout(IpProto.SCTP, state);
            packet.sctpNextChunkType = -1;
        }

        void expect(String name, int timeoutSeconds) {
            assertThat(sctp.stateName(state)).isEqualTo(name);
            // HZ = 250
            assertThat(timeout).as("timeout of %s in jiffies", name).isEqualTo(timeoutSeconds * 250);
        }
    }
}
