package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlAccessTest {
    @Test
    void shouldAskTheNameServiceForAUsersGroups() {
        ControlAccess.GroupCache groups = new ControlAccess.GroupCache();

        assertThat(groups.get("root")).as("id -Gn root").contains("root");
        assertThat(groups.get("uvs-no-such-user-" + ProcessHandle.current().pid())).as("unknown user").isNull();
    }
}
