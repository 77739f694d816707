package uvs.daemon;

import java.nio.file.Path;
import uvs.core.EngineConfig;
import uvs.ctl.model.DataPlaneSpec;
import uvs.time.NanoClock;

/**
 * What uvsd is started with.
 *
 * @param clock time source (the system clock in production)
 * @param engine engine sizing
 * @param rules rules file in ipvsadm-save format, or null
 * @param sysctl tunables file, or null
 * @param importFile keepalived.conf or ldirectord.cf used as configuration (rules, checks, sync), or null
 * @param socket control socket path
 * @param allowUser one non-root user allowed on the socket, or null
 * @param metricsHost Prometheus listen address
 * @param metricsPort Prometheus port, -1 off, 0 any free port
 * @param procDir directory of the procfs views, or null
 * @param dataPlane the packet data plane to run, or null (control plane only)
 * @param allowGroup a group whose members are allowed on the socket, or null
 * @param procGroup the monitoring group that alone may read the procfs views, or null (world-readable)
 */
public record UvsdConfig(NanoClock clock, EngineConfig engine, Path rules, Path sysctl, Path importFile, Path socket,
                         String allowUser, String metricsHost, int metricsPort, Path procDir,
                         DataPlaneSpec dataPlane, String allowGroup, String procGroup) {
    /** Control plane only on {@code socket}: no files, no metrics, no procfs views. */
    public static UvsdConfig minimal(NanoClock clock, EngineConfig engine, Path socket) {
        return new UvsdConfig(clock, engine, null, null, null, socket, null, "127.0.0.1", -1, null, null, null, null);
    }

    /** Copy with a rules file. */
    public UvsdConfig withRules(Path p) {
        return new UvsdConfig(clock, engine, p, sysctl, importFile, socket, allowUser, metricsHost, metricsPort,
            procDir, dataPlane, allowGroup, procGroup);
    }

    /** Copy with a tunables file. */
    public UvsdConfig withSysctl(Path p) {
        return new UvsdConfig(clock, engine, rules, p, importFile, socket, allowUser, metricsHost, metricsPort,
            procDir, dataPlane, allowGroup, procGroup);
    }

    /** Copy with a keepalived/ldirectord file. */
    public UvsdConfig withImport(Path p) {
        return new UvsdConfig(clock, engine, rules, sysctl, p, socket, allowUser, metricsHost, metricsPort,
            procDir, dataPlane, allowGroup, procGroup);
    }

    /** Copy with monitoring settings. */
    public UvsdConfig withMonitoring(String host, int port, Path proc) {
        return new UvsdConfig(clock, engine, rules, sysctl, importFile, socket, allowUser, host, port, proc, dataPlane,
            allowGroup, procGroup);
    }

    /** Copy with an allowed non-root user. */
    public UvsdConfig withAllowUser(String user) {
        return new UvsdConfig(clock, engine, rules, sysctl, importFile, socket, user, metricsHost, metricsPort, procDir,
            dataPlane, allowGroup, procGroup);
    }

    /** Copy with a group whose members are allowed on the socket. */
    public UvsdConfig withAllowGroup(String group) {
        return new UvsdConfig(clock, engine, rules, sysctl, importFile, socket, allowUser, metricsHost, metricsPort, procDir,
            dataPlane, group, procGroup);
    }

    /** Copy with the monitoring group of the procfs views. */
    public UvsdConfig withProcGroup(String group) {
        return new UvsdConfig(clock, engine, rules, sysctl, importFile, socket, allowUser, metricsHost, metricsPort,
            procDir, dataPlane, allowGroup, group);
    }

    /** Copy with a data plane. */
    public UvsdConfig withDataPlane(DataPlaneSpec spec) {
        return new UvsdConfig(clock, engine, rules, sysctl, importFile, socket, allowUser, metricsHost, metricsPort,
            procDir, spec, allowGroup, procGroup);
    }
}
