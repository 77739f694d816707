package uvs.ctl.format;

import java.util.ArrayList;
import java.util.List;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.RealServerSpec;
import uvs.ctl.model.ServiceSpec;

/**
 * A {@link DirectorConfig} as {@code ipvsadm -R} input, in the configuration's own order: {@code -C} when it
 * flushes, {@code --set}, then each {@code -A} followed by its {@code -a} lines, thresholds included. With
 * {@link SaveFormat} (a running engine's {@code -S}), the only writer of rules text; nothing parses what it
 * writes back into UVS except an operator's own {@code ipvsadm -R} or {@code uvsd --rules}.
 */
public final class RulesText {
    private RulesText() {
    }

    /** Every line of {@code config}, without newlines. */
    public static List<String> lines(DirectorConfig config) {
        List<String> out = new ArrayList<>(config.services().size() + config.realServerCount() + 2);
        if (config.flush()) {
            out.add("-C");
        }
        if (config.timeouts() != null) {
            out.add("--set " + config.timeouts().tcp() + " " + config.timeouts().tcpfin() + " "
                + config.timeouts().udp());
        }
        for (ServiceSpec s : config.services()) {
            out.add(service(s.key(), s.config()));
            for (RealServerSpec r : s.realServers()) {
                out.add(realServer(s.key(), r));
            }
        }
        return out;
    }

    /** {@link #lines} as a text, each line ending in a newline. */
    public static String text(DirectorConfig config) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines(config)) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    /** The {@code -A} line of a service. */
    public static String service(ServiceKey key, ServiceConfig config) {
        StringBuilder sb = new StringBuilder("-A ").append(serviceOptions(key)).append(" -s ").append(config.scheduler());
        if (config.isPersistent()) {
            sb.append(" -p ").append(config.persistTimeout());
            if (key.af() == Af.INET) {
                if (config.netmask() != 0xffff_ffff) {
                    sb.append(" -M ").append(IpAddress.v4(config.netmask()));
                }
            } else if (config.netmask() != 128) {
                sb.append(" -M ").append(config.netmask());
            }
        }
        if (config.peName() != null) {
            sb.append(" --pe ").append(config.peName());
        }
        if (config.isOnePacket()) {
            sb.append(" -o");
        }
        String flags = schedFlags(config);
        if (!flags.isEmpty()) {
            sb.append(" -b ").append(flags);
        }
        return sb.toString();
    }

    /** The {@code -a} line of a real server of {@code key}. */
    public static String realServer(ServiceKey key, RealServerSpec r) {
        RealServerConfig c = r.config();
        StringBuilder sb = new StringBuilder("-a ").append(serviceOptions(key)).append(" -r ")
            .append(r.address().withPort(r.port())).append(' ').append(c.forward().ipvsadmOption())
            .append(" -w ").append(c.weight());
        if (c.forward() == ForwardMethod.TUNNEL) {
            sb.append(" --tun-type ").append(c.tunnelType().ipvsadmName());
            if (c.tunnelPort() != 0) {
                sb.append(" --tun-port ").append(c.tunnelPort());
            }
            switch (c.tunnelChecksum()) {
                case NOCSUM -> { }
                case CSUM -> sb.append(" --tun-csum");
                case REMCSUM -> sb.append(" --tun-remcsum");
            }
        }
        if (c.upperThreshold() != 0) {
            sb.append(" -x ").append(c.upperThreshold());
        }
        if (c.lowerThreshold() != 0) {
            sb.append(" -y ").append(c.lowerThreshold());
        }
        return sb.toString();
    }

    /** The service options of a rule: {@code -t a:p}, {@code -u a:p}, {@code --sctp-service a:p}, {@code -f m [-6]}. */
    public static String serviceOptions(ServiceKey key) {
        if (key.isFwmark()) {
            return "-f " + Integer.toUnsignedString(key.fwmark()) + (key.af() == Af.INET6 ? " -6" : "");
        }
        String opt = switch (key.protocol()) {
            case IpProto.TCP -> "-t ";
            case IpProto.UDP -> "-u ";
            case IpProto.SCTP -> "--sctp-service ";
            default -> throw new IllegalArgumentException("no ipvsadm option for protocol " + key.protocol());
        };
        return opt + key.address().withPort(key.port());
    }

    // the names ipvsadm -S writes: sh-/mh- names for those schedulers, flag-N otherwise
    private static String schedFlags(ServiceConfig c) {
        int f = c.flags();
        List<String> names = new ArrayList<>(3);
        String s = c.scheduler();
        boolean hashing = s.equals("sh") || s.equals("mh");
        if ((f & ServiceFlags.SCHED1) != 0) {
            names.add(hashing ? s + "-fallback" : "flag-1");
        }
        if ((f & ServiceFlags.SCHED2) != 0) {
            names.add(hashing ? s + "-port" : "flag-2");
        }
        if ((f & ServiceFlags.SCHED3) != 0) {
            names.add("flag-3");
        }
        return String.join(",", names);
    }
}
