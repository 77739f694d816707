package uvs.core.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StateNamesTest {
    @ParameterizedTest(name = "proto {0} state {1} template {2} -> {3}")
    @CsvSource({
        // templates (spec §5.6): 0 NONE, 1 ASSURED, >= 2 ERR!, whatever the protocol
        "6, 0, true, NONE",
        "6, 1, true, ASSURED",
        "17, 1, true, ASSURED",
        "0, 1, true, ASSURED",
        "0, 2, true, ERR!",
        "6, 5, true, ERR!",
        // conns: the protocol's names (§5.1, §5.4, §5.5)
        "6, 1, false, ESTABLISHED",
        "6, 10, false, SYNACK",
        "6, 11, false, ERR!",
        "17, 0, false, UDP",
        "132, 3, false, C-SENT",
        "132, 13, false, CLOSED",
        // protocol 0 without a handler shows NONE; other protocols without state names show ERR!
        "0, 0, false, NONE",
        "0, 7, false, NONE",
        "50, 0, false, ERR!",
        "1, 0, false, ERR!",
    })
    void shouldNameStateAsIpvsadmListing(int protocol, int state, boolean template, String name) {
        assertThat(StateNames.connStateName(protocol, state, template)).isEqualTo(name);
    }
}
