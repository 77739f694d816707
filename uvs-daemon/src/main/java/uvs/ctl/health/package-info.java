/**
 * The settings of real servers' health checks, as a configuration holds them and the keepalived and ldirectord
 * importers build them: {@link uvs.ctl.health.HealthConfig} with one {@link uvs.ctl.health.HealthCheckConfig}
 * per checked real server (its {@link uvs.ctl.health.CheckKind} and {@link uvs.ctl.health.CheckTiming}), at most
 * one {@link uvs.ctl.health.SorryServer} and one {@link uvs.ctl.health.ServiceQuorum} per virtual service. Values
 * only: the checker that runs them is {@code uvs.daemon.health}, whose package documentation gives their
 * semantics.
 */
package uvs.ctl.health;
