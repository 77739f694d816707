package uvs.ctl.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.Change.EnsureRealServer.Outcome;
import uvs.time.ManualClock;

/** A health check's change: from whatever the engine has to the wanted state, harmless to repeat. */
class ChangeTest {
    private static final ServiceKey WEB = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);
    private static final IpAddress RS = IpAddress.parse("10.0.1.1");

    @Test
    void shouldBringARealServerToItsWantedStateFromAnyOther() {
        Engine engine = new Engine(new ManualClock(), EngineConfig.defaults().withCapacity(16, 16));
        RealServerConfig up = RealServerConfig.of(3, ForwardMethod.MASQ);
        RealServerConfig quiesced = up.withWeight(0);

        assertThat(new Change.EnsureRealServer(WEB, RS, 80, up).ensure(engine)).isEqualTo(Outcome.NO_SERVICE);
        new Change.AddService(WEB, ServiceConfig.of("wlc")).applyTo(engine);
        assertThat(new Change.EnsureRealServer(WEB, RS, 80, up).ensure(engine)).isEqualTo(Outcome.ADDED);
        assertThat(new Change.EnsureRealServer(WEB, RS, 80, up).ensure(engine)).isEqualTo(Outcome.UNCHANGED);
        assertThat(new Change.EnsureRealServer(WEB, RS, 80, quiesced).ensure(engine)).isEqualTo(Outcome.EDITED);
        assertThat(engine.service(WEB).findDest(RS, 80).weight()).isZero();
        assertThat(new Change.EnsureRealServer(WEB, RS, 80, null).ensure(engine)).isEqualTo(Outcome.REMOVED);
        assertThat(new Change.EnsureRealServer(WEB, RS, 80, null).ensure(engine)).isEqualTo(Outcome.UNCHANGED);
        assertThat(engine.service(WEB).dests()).isEmpty();
    }
}
