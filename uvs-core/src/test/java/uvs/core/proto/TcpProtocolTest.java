package uvs.core.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class TcpProtocolTest {
    // Column order and abbreviations of spec §5.1; numbers from the "#" column of its state table.
    private static final List<String> COLUMNS =
        List.of("NO", "ES", "SS", "SR", "FW", "TW", "CL", "CW", "LA", "LI", "SA");
    private static final Map<String, Integer> LEGEND = Map.ofEntries(
        Map.entry("NO", 0), Map.entry("ES", 1), Map.entry("SS", 2), Map.entry("SR", 3), Map.entry("FW", 4),
        Map.entry("TW", 5), Map.entry("CL", 6), Map.entry("CW", 7), Map.entry("LA", 8), Map.entry("LI", 9),
        Map.entry("SA", 10));
    private static final Map<String, Integer> EVENTS = Map.of(
        "syn", TcpEvent.SYN, "fin", TcpEvent.FIN, "ack", TcpEvent.ACK, "rst", TcpEvent.RST);

    // Spec §5.1, normal tables, copied verbatim.
    private static final String NORMAL_INPUT = """
        | ev | NO | ES | SS | SR | FW | TW | CL | CW | LA | LI | SA |
        |---|---|---|---|---|---|---|---|---|---|---|---|
        | syn | SR | ES | ES | SR | SR | SR | SR | SR | SR | SR | SR |
        | fin | CL | CW | SS | TW | TW | TW | CL | CW | LA | LI | TW |
        | ack | ES | ES | SS | ES | FW | TW | CL | CW | CL | LI | ES |
        | rst | CL | CL | CL | SR | CL | CL | CL | CL | LA | LI | SR |
        """;
    private static final String NORMAL_OUTPUT = """
        | ev | NO | ES | SS | SR | FW | TW | CL | CW | LA | LI | SA |
        |---|---|---|---|---|---|---|---|---|---|---|---|
        | syn | SS | ES | SS | SR | SS | SS | SS | SS | SS | LI | SR |
        | fin | TW | FW | SS | TW | FW | TW | CL | TW | LA | LI | TW |
        | ack | ES | ES | SS | ES | FW | TW | CL | CW | LA | ES | ES |
        | rst | CL | CL | SS | CL | CL | TW | CL | CL | CL | CL | CL |
        """;
    private static final String NORMAL_INPUT_ONLY = """
        | ev | NO | ES | SS | SR | FW | TW | CL | CW | LA | LI | SA |
        |---|---|---|---|---|---|---|---|---|---|---|---|
        | syn | SR | ES | ES | SR | SR | SR | SR | SR | SR | SR | SR |
        | fin | CL | FW | SS | TW | FW | TW | CL | CW | LA | LI | TW |
        | ack | ES | ES | SS | ES | FW | TW | CL | CW | CL | LI | ES |
        | rst | CL | CL | CL | SR | CL | CL | CL | CL | LA | LI | CL |
        """;

    // Spec §5.2, secure_tcp tables, copied verbatim (the * markers are ignored by the parser).
    private static final String SECURE_INPUT = """
        | ev | NO | ES | SS | SR | FW | TW | CL | CW | LA | LI | SA |
        |---|---|---|---|---|---|---|---|---|---|---|---|
        | syn | SR | ES | ES | SR | SR | SR | SR | SR | SR | SR | SA* |
        | fin | CL | CW | SS | TW | TW | TW | CL | CW | LA | LI | SA* |
        | ack | ES | ES | SS | SR* | FW | TW | CL | CW | CL | LI | SA* |
        | rst | CL | CL | CL | SR | CL | CL | CL | CL | LA | LI | CL* |
        """;
    private static final String SECURE_OUTPUT = """
        | ev | NO | ES | SS | SR | FW | TW | CL | CW | LA | LI | SA |
        |---|---|---|---|---|---|---|---|---|---|---|---|
        | syn | SS | ES | SS | SA* | SS | SS | SS | SS | SS | LI | SA* |
        | fin | TW | FW | SS | TW | FW | TW | CL | TW | LA | LI | TW |
        | ack | ES | ES | SS | ES | FW | TW | CL | CW | LA | ES | ES |
        | rst | CL | CL | SS | CL | CL | TW | CL | CL | CL | CL | CL |
        """;
    private static final String SECURE_INPUT_ONLY = """
        | ev | NO | ES | SS | SR | FW | TW | CL | CW | LA | LI | SA |
        |---|---|---|---|---|---|---|---|---|---|---|---|
        | syn | SA* | ES | ES | SR | SA* | SA* | SA* | SA* | SA* | SA* | SA |
        | fin | CL | FW | SS | TW | FW | TW | CL | CW | LA | LI | TW |
        | ack | ES | ES | SS | ES | FW | TW | CL | CW | CL | LI | ES |
        | rst | CL | CL | CL | SR | CL | CL | CL | CL | LA | LI | CL |
        """;

    private final TcpProtocol tcp = Protocols.TCP;
    private final ProtocolTimeouts timeouts = new ProtocolTimeouts();
    private final PacketHeader packet = new PacketHeader();

    static Stream<Arguments> specTables() {
        return Stream.of(
            Arguments.of("normal INPUT", NORMAL_INPUT, ConnDirection.INPUT, false),
            Arguments.of("normal OUTPUT", NORMAL_OUTPUT, ConnDirection.OUTPUT, false),
            Arguments.of("normal INPUT-ONLY", NORMAL_INPUT_ONLY, ConnDirection.INPUT_ONLY, false),
            Arguments.of("secure INPUT", SECURE_INPUT, ConnDirection.INPUT, true),
            Arguments.of("secure OUTPUT", SECURE_OUTPUT, ConnDirection.OUTPUT, true),
            Arguments.of("secure INPUT-ONLY", SECURE_INPUT_ONLY, ConnDirection.INPUT_ONLY, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specTables")
    void shouldMatchEveryCellOfSpecTable(String name, String table, int direction, boolean secure) {
        Map<String, int[]> expected = SpecTable.parse(table, COLUMNS, LEGEND);

        List<String> mismatches = SpecTable.mismatches(tcp, expected, COLUMNS, LEGEND, EVENTS, direction, secure);

        assertThat(expected.keySet()).as(name).containsExactly("syn", "fin", "ack", "rst");
        assertThat(mismatches).as(name).isEmpty();
    }

    @Test
    void shouldGoToCloseFromEveryStateWhenNoFlagIsSet() {
        // spec §5.1: "none of these flags → new state CLOSE", whatever the table, direction or state
        List<String> notClose = new ArrayList<>();
        for (int direction = 0; direction < 3; direction++) {
            for (int state = 0; state <= 10; state++) {
                for (boolean secure : new boolean[] {false, true}) {
                    if (tcp.nextState(state, direction, TcpEvent.NONE, secure) != 6) {
                        notClose.add(direction + "/" + state + "/" + secure);
                    }
                }
            }
        }
        assertThat(notClose).isEmpty();
    }

    @ParameterizedTest(name = "flags {0} -> {1}")
    @CsvSource({
        // first match wins: RST, then SYN, then FIN, then ACK (spec §5.1)
        "0x02, SYN",          // SYN
        "0x12, SYN",          // SYN+ACK is "syn"
        "0x01, FIN",          // FIN
        "0x11, FIN",          // FIN+ACK is "fin"
        "0x19, FIN",          // FIN+PSH+ACK
        "0x10, ACK",          // ACK
        "0x18, ACK",          // PSH+ACK
        "0x04, RST",          // RST
        "0x14, RST",          // RST+ACK
        "0x07, RST",          // RST wins over SYN and FIN
        "0x03, SYN",          // SYN wins over FIN
        "0x00, NONE",         // no flags
        "0x08, NONE",         // PSH alone
        "0x20, NONE",         // URG alone
        "0xe8, NONE",         // PSH+URG+ECE+CWR: none of the four that matter
    })
    void shouldClassifySegmentByFirstMatchingFlag(String flags, String event) {
        packet.tcpFlags = Integer.decode(flags);

        assertThat(tcp.event(packet)).isEqualTo(switch (event) {
            case "SYN" -> TcpEvent.SYN;
            case "FIN" -> TcpEvent.FIN;
            case "ACK" -> TcpEvent.ACK;
            case "RST" -> TcpEvent.RST;
            default -> TcpEvent.NONE;
        });
    }

    @ParameterizedTest(name = "flags {0} sloppy {1} -> {2}")
    @CsvSource({
        // spec §5.3: RST never; SYN always; with sloppy_tcp any other non-RST packet (no ACK check)
        "0x02, false, true",
        "0x02, true, true",
        "0x12, false, true",   // SYN+ACK has SYN set
        "0x10, false, false",
        "0x10, true, true",
        "0x11, false, false",
        "0x11, true, true",
        "0x00, false, false",
        "0x00, true, true",    // no flags, but not RST
        "0x04, false, false",
        "0x04, true, false",
        "0x06, false, false",  // RST+SYN: RST wins
        "0x06, true, false",
        "0x14, true, false",
    })
    void shouldAllowConnCreationOnlyAsSpecSays(String flags, boolean sloppy, boolean expected) {
        packet.tcpFlags = Integer.decode(flags);

        assertThat(tcp.canCreate(packet, sloppy)).isEqualTo(expected);
    }

    @Test
    void shouldCountOnlyEstablishedAndPreEstablishedStatesAsActive() {
        // spec §5.1 (current kernels): ES(1), SS(2), SR(3), SA(10) active
        List<Integer> active = new ArrayList<>();
        for (int s = -1; s <= 11; s++) {
            if (tcp.isActiveState(s)) {
                active.add(s);
            }
        }
        assertThat(active).containsExactly(1, 2, 3, 10);
    }

    @Test
    void shouldLetOnlySpecStatesPassTheSyncFilter() {
        // spec §2.3 step 1: ES(1), FW(4), TW(5), CL(6), CW(7)
        List<Integer> sync = new ArrayList<>();
        for (int s = -1; s <= 11; s++) {
            if (tcp.isSyncState(s)) {
                sync.add(s);
            }
        }
        assertThat(sync).containsExactly(1, 4, 5, 6, 7);
    }

    @Test
    void shouldAssureTemplateOnlyWhenEnteringEstablished() {
        // spec §5.0: a controlled conn entering TCP ESTABLISHED marks its template ASSURED, in any direction
        for (int s = 0; s <= 10; s++) {
            for (int direction = 0; direction < 3; direction++) {
                assertThat(tcp.assuresTemplate(s, direction)).as("state %d dir %d", s, direction).isEqualTo(s == 1);
            }
        }
    }

    @Test
    void shouldNameStatesAsIpvsadm() {
        List<String> names = new ArrayList<>();
        for (int s = 0; s < tcp.stateCount(); s++) {
            names.add(tcp.stateName(s));
        }

        assertThat(names).containsExactly("NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT",
            "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK");
        assertThat(tcp.stateName(11)).isEqualTo("ERR!");
        assertThat(tcp.stateName(-1)).isEqualTo("ERR!");
        assertThat(tcp.protocol()).isEqualTo(IpProto.TCP);
        assertThat(tcp.eventCount()).isEqualTo(5);
    }

    @Test
    void shouldRefuseOutOfRangeIndexes() {
        assertThatThrownBy(() -> tcp.nextState(11, ConnDirection.INPUT, TcpEvent.SYN, false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state 11");
        assertThatThrownBy(() -> tcp.nextState(0, 3, TcpEvent.SYN, false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direction 3");
        assertThatThrownBy(() -> tcp.nextState(0, ConnDirection.INPUT, 5, false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event 5");
        assertThatThrownBy(() -> tcp.nextState(-1, ConnDirection.INPUT, TcpEvent.SYN, true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state -1");
    }

    @Test
    void shouldFollowTypicalDirectRoutingFlow() {
        // spec §5.1 "Typical DR flow" (NOOUTPUT conn: every packet uses INPUT-ONLY); timeouts from §5.1 in s
        Conn c = new Conn();
        c.step(ConnDirection.INPUT_ONLY, PacketHeader.TCP_SYN, false);
        c.expect("SYN_RECV", 60);
        c.step(ConnDirection.INPUT_ONLY, PacketHeader.TCP_ACK, false);
        c.expect("ESTABLISHED", 900);
        c.step(ConnDirection.INPUT_ONLY, PacketHeader.TCP_FIN | PacketHeader.TCP_ACK, false);
        c.expect("FIN_WAIT", 120);
        c.step(ConnDirection.INPUT_ONLY, PacketHeader.TCP_ACK, false);
        c.expect("FIN_WAIT", 120);
        c.step(ConnDirection.INPUT_ONLY, PacketHeader.TCP_RST, false);
        c.expect("CLOSE", 10);
    }

    @Test
    void shouldFollowTypicalNatFlow() {
        // spec §5.1 "NAT flow": SYN → SR; server SYN+ACK (output syn) → SR; client ACK → ES; client FIN → CW;
        // server FIN (output fin from CW) → TW; last client ACK: INPUT ack from TW → TW
        Conn c = new Conn();
        c.step(ConnDirection.INPUT, PacketHeader.TCP_SYN, false);
        c.expect("SYN_RECV", 60);
        c.step(ConnDirection.OUTPUT, PacketHeader.TCP_SYN | PacketHeader.TCP_ACK, false);
        c.expect("SYN_RECV", 60);
        c.step(ConnDirection.INPUT, PacketHeader.TCP_ACK, false);
        c.expect("ESTABLISHED", 900);
        c.step(ConnDirection.OUTPUT, PacketHeader.TCP_ACK | PacketHeader.TCP_PSH, false);
        c.expect("ESTABLISHED", 900);
        c.step(ConnDirection.INPUT, PacketHeader.TCP_FIN | PacketHeader.TCP_ACK, false);
        c.expect("CLOSE_WAIT", 60);
        c.step(ConnDirection.OUTPUT, PacketHeader.TCP_FIN | PacketHeader.TCP_ACK, false);
        c.expect("TIME_WAIT", 120);
        c.step(ConnDirection.INPUT, PacketHeader.TCP_ACK, false);
        c.expect("TIME_WAIT", 120);
    }

    @Test
    void shouldNotEstablishOnClientAckAloneWhenSecureTcp() {
        // §5.2 INPUT ack from SR is SR* (normal table: ES); the server's SYN+ACK then gives SA (OUTPUT syn
        // from SR is SA*), input ACKs keep SA (INPUT ack from SA is SA*), the server's ACK establishes (OUTPUT
        // ack from SA is ES)
        Conn c = new Conn();
        c.step(ConnDirection.INPUT, PacketHeader.TCP_SYN, true);
        c.expect("SYN_RECV", 60);
        c.step(ConnDirection.INPUT, PacketHeader.TCP_ACK, true);
        c.expect("SYN_RECV", 60);
        c.step(ConnDirection.OUTPUT, PacketHeader.TCP_SYN | PacketHeader.TCP_ACK, true);
        c.expect("SYNACK", 120);
        c.step(ConnDirection.INPUT, PacketHeader.TCP_ACK, true);
        c.expect("SYNACK", 120);
        c.step(ConnDirection.OUTPUT, PacketHeader.TCP_ACK, true);
        c.expect("ESTABLISHED", 900);
    }

    @Test
    void shouldCloseOnSegmentWithoutFlagsInEstablishedConn() {
        // §5.1: a segment with none of SYN/FIN/ACK/RST moves the conn to CLOSE (10 s)
        Conn c = new Conn();
        c.step(ConnDirection.INPUT_ONLY, PacketHeader.TCP_SYN, false);
        c.step(ConnDirection.INPUT_ONLY, PacketHeader.TCP_ACK, false);
        c.expect("ESTABLISHED", 900);
        c.step(ConnDirection.INPUT_ONLY, PacketHeader.TCP_PSH, false);
        c.expect("CLOSE", 10);
    }

    /** A conn's state and timeout as the engine keeps them, stepped one packet at a time. */
    private final class Conn {
        private int state;
        private int timeout;

        void step(int direction, int flags, boolean secure) {
            packet.tcpFlags = flags;
            state = tcp.nextState(state, direction, tcp.event(packet), secure);
            timeout = timeouts.timeout(IpProto.TCP, state);
        }

        void expect(String name, int timeoutSeconds) {
            assertThat(tcp.stateName(state)).isEqualTo(name);
            // HZ = 250
            assertThat(timeout).as("timeout of %s in jiffies", name).isEqualTo(timeoutSeconds * 250);
        }
    }
}
