package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.daemon.health.CheckKind;
import uvs.daemon.health.FailureAction;
import uvs.daemon.health.HealthCheckConfig;
import uvs.daemon.health.HealthConfig;
import uvs.time.ManualClock;

/** keepalived/ldirectord checks mapped to the health checker's configuration. */
class ImportedConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldMapKeepalivedRetriesAndHttpFields() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
            virtual_server 10.1.1.1 80 {
                delay_loop 6
                lb_algo wlc
                lb_kind DR
                protocol TCP
                real_server 10.2.2.1 80 {
                    weight 4
                    HTTP_GET {
                        url {
                            path /health
                            status_code 200
                        }
                        connect_timeout 3
                        retry 2
                        delay_before_retry 1
                    }
                }
            }
            """);
        ImportedConfig imported = ImportedConfig.read(conf);
        Engine engine = new Engine(new ManualClock(), EngineConfig.defaults().withCapacity(64, 64));
        RulesReconciler.reconcile(engine, new Engine(new ManualClock(), engine.config()),
            RulesReconciler.parse(imported.rulesText()));
        HealthConfig hc = imported.healthConfig(engine);
        assertThat(hc.checks()).hasSize(1);
        HealthCheckConfig c = hc.checks().get(0);
        // keepalived "retry 2" retries twice after the first failure: three failures take it down
        assertThat(c.timing().retries()).isEqualTo(3);
        assertThat(c.timing().interval()).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.timing().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.onFailure()).isEqualTo(FailureAction.REMOVE);
        assertThat(c.realServer().weight()).isEqualTo(4);
        assertThat(c.kind()).isInstanceOfSatisfying(CheckKind.Http.class, h -> {
            assertThat(h.path()).isEqualTo("/health");
            assertThat(h.tls()).isFalse();
        });
    }
}
