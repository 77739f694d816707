package uvs.ctl.cli;

import java.util.List;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;

/**
 * ipvsadm's {@code struct ipvs_command_entry} while options are being read: the service, destination,
 * timeouts and daemon fields, with ipvsadm's initial values, and the set of options seen.
 */
final class CommandEntry {
    CommandKind cmd;
    long options;

    // service (ipvs_service_t)
    int svcAf;
    int protocol;
    IpAddress svcAddr;
    int svcPort;
    long fwmark;
    String schedName = "";
    int svcFlags;
    int timeout;
    int netmask = 0xffff_ffff;
    String peName = "";
    String schedFlagsArg = "";

    // destination (ipvs_dest_t)
    int destAf;
    IpAddress destAddr;
    int destPort;
    ForwardMethod forward = ForwardMethod.ROUTE;
    int weight = 1;
    int upperThreshold;
    int lowerThreshold;
    TunnelType tunnelType = TunnelType.IPIP;
    int tunnelPort;
    TunnelChecksum tunnelChecksum = TunnelChecksum.NOCSUM;

    // --set
    int tcpTimeout;
    int tcpFinTimeout;
    int udpTimeout;

    // daemon (ipvs_daemon_t)
    DaemonState daemonState;
    String mcastInterface = "";
    int syncId;
    int syncMaxlen;
    IpAddress mcastGroup;
    int mcastPort;
    int mcastTtl;

    /** ipvsadm's {@code set_option}: each option at most once. */
    void setOption(OptionCode opt) {
        if ((options & opt.bit()) != 0) {
            throw IpvsadmException.fail("multiple '" + opt.optName() + "' options specified");
        }
        options |= opt.bit();
    }

    /** True if the option was given. */
    boolean has(OptionCode opt) {
        return (options & opt.bit()) != 0;
    }

    /** The command with everything ipvsadm would send. */
    IpvsadmCommand toCommand() {
        return switch (cmd) {
            case ADD -> new IpvsadmCommand.AddService(serviceKey(), serviceConfig());
            case EDIT -> new IpvsadmCommand.EditService(serviceKey(), serviceConfig());
            case DEL -> new IpvsadmCommand.DeleteService(serviceKey());
            case FLUSH -> new IpvsadmCommand.Clear();
            case LIST -> new IpvsadmCommand.List(has(OptionCode.SERVICE) ? serviceKey() : null, listOptions());
            case ADDDEST -> new IpvsadmCommand.AddDest(serviceKey(), destAddr, destPort, destConfig());
            case EDITDEST -> new IpvsadmCommand.EditDest(serviceKey(), destAddr, destPort, destConfig());
            case DELDEST -> new IpvsadmCommand.DeleteDest(serviceKey(), destAddr, destPort);
            case TIMEOUT -> new IpvsadmCommand.SetTimeouts(tcpTimeout, tcpFinTimeout, udpTimeout);
            case STARTDAEMON -> new IpvsadmCommand.StartDaemon(daemonState,
                new DaemonOptions(mcastInterface, syncId, syncMaxlen, mcastGroup, mcastPort, mcastTtl));
            case STOPDAEMON -> new IpvsadmCommand.StopDaemon(daemonState);
            case RESTORE -> new IpvsadmCommand.Restore(List.of());
            case SAVE -> new IpvsadmCommand.Save(has(OptionCode.NUMERIC));
            case ZERO -> new IpvsadmCommand.Zero(zerosAll() ? null : serviceKey());
        };
    }

    private ServiceKey serviceKey() {
        if (fwmark != 0) {
            return ServiceKey.fwmark((int) fwmark, svcAf);
        }
        return ServiceKey.of(protocol, svcAddr, svcPort);
    }

    // libipvs sends no service, i.e. "zero everything", when mark, address and port are all zero
    private boolean zerosAll() {
        return fwmark == 0 && svcPort == 0 && (svcAddr == null || (svcAddr.hi() == 0 && svcAddr.lo() == 0));
    }

    private ServiceConfig serviceConfig() {
        return new ServiceConfig(schedName, svcFlags, timeout, netmask, peName.isEmpty() ? null : peName);
    }

    private RealServerConfig destConfig() {
        return new RealServerConfig(weight, forward, tunnelType, tunnelPort, tunnelChecksum, upperThreshold,
            lowerThreshold);
    }

    private ListOptions listOptions() {
        return new ListOptions(has(OptionCode.NUMERIC), has(OptionCode.CONNECTION), has(OptionCode.TIMEOUT),
            has(OptionCode.DAEMON), has(OptionCode.STATS), has(OptionCode.RATE), has(OptionCode.THRESHOLDS),
            has(OptionCode.PERSISTENTCONN), has(OptionCode.TUN_INFO), has(OptionCode.NOSORT), has(OptionCode.EXACT));
    }
}
