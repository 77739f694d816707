package uvs.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void shouldWriteScalarsInOrderWithTwoDecimalDoubles() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1.0 / 3);
        m.put("a", 42L);
        m.put("s", "x\"y\\z\n");
        m.put("t", true);
        m.put("n", null);
        m.put("nan", Double.NaN);

        assertThat(Json.write(m))
            .isEqualTo("{\"b\": 0.33, \"a\": 42, \"s\": \"x\\\"y\\\\z\\n\", \"t\": true, \"n\": null, \"nan\": null}\n");
    }

    @Test
    void shouldIndentNestedMapsAndKeepListsOfScalarsOnOneLine() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("runs", List.of(1, 2, 3));
        inner.put("deeper", Map.of("k", 1));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("x", 1);
        root.put("inner", inner);

        assertThat(Json.write(root)).isEqualTo("""
            {
              "x": 1,
              "inner": {
                "runs": [1, 2, 3],
                "deeper": {"k": 1}
              }
            }
            """);
    }

    @Test
    void shouldWriteListsOfMapsOnePerLine() {
        assertThat(Json.write(List.of(Map.of("a", 1), Map.of("b", 2)))).isEqualTo("""
            [
              {"a": 1},
              {"b": 2}
            ]
            """);
    }

    @Test
    void shouldBreakLongMapsOverLines() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            m.put("key_number_" + i, i);
        }
        assertThat(Json.write(m)).startsWith("{\n  \"key_number_0\": 0,\n").endsWith("  \"key_number_11\": 11\n}\n");
    }

    @Test
    void shouldRejectValuesJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(Map.of("k", new Object())))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot write Object");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key 1 is not a string");
    }
}
