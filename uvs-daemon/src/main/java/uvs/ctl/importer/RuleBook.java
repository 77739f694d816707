package uvs.ctl.importer;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.ctl.cli.IpvsadmException;
import uvs.ctl.cli.IpvsadmParser;

/**
 * The ipvsadm {@code -R} lines of an import, each remembered with the line it came from so that a line the
 * ipvsadm parser refuses, or a duplicate service or real server, is reported there.
 */
final class RuleBook {
    private final List<String> lines = new ArrayList<>();
    private final List<SourceLocation> origins = new ArrayList<>();
    private final Map<ServiceKey, SourceLocation> services = new HashMap<>();
    private final Map<String, SourceLocation> dests = new HashMap<>();

    /** {@code -C}. */
    void clear(SourceLocation at) {
        add(at, "-C");
    }

    /** {@code --set tcp tcpfin udp} (0 = unchanged). */
    void timeouts(SourceLocation at, int tcp, int tcpfin, int udp) {
        add(at, "--set " + tcp + " " + tcpfin + " " + udp);
    }

    /**
     * {@code -A}; a service already added is an error (reported here).
     *
     * @return false for a duplicate
     */
    boolean addService(SourceLocation at, ServiceKey key, ServiceConfig config, Diagnostics d) {
        SourceLocation first = services.putIfAbsent(key, at);
        if (first != null) {
            d.error(at, "duplicate virtual service " + key + " (first defined at " + first + ")");
            return false;
        }
        StringBuilder sb = new StringBuilder("-A ").append(service(key)).append(" -s ").append(config.scheduler());
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
        add(at, sb.toString());
        return true;
    }

    /**
     * Claims a real server of a service without writing a rule for it (one that starts down and is added by
     * its check); a real server claimed before is a warning.
     *
     * @return false for a duplicate
     */
    boolean reserveDest(SourceLocation at, ServiceKey key, IpAddress address, int port, Diagnostics d) {
        String dest = addrPort(address, port);
        SourceLocation first = dests.putIfAbsent(key + " " + dest, at);
        if (first != null) {
            d.warn(at, "real server " + dest + " of " + key + " is a duplicate of the one at " + first + ": left out");
            return false;
        }
        return true;
    }

    /**
     * {@code -a}; a real server already in the service is a warning and is left out.
     *
     * @return false for a duplicate
     */
    boolean addDest(SourceLocation at, ServiceKey key, IpAddress address, int port, RealServerConfig c,
                    Diagnostics d) {
        if (!reserveDest(at, key, address, port, d)) {
            return false;
        }
        String dest = addrPort(address, port);
        StringBuilder sb = new StringBuilder("-a ").append(service(key)).append(" -r ").append(dest).append(' ')
            .append(c.forward().ipvsadmOption()).append(" -w ").append(c.weight());
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
        add(at, sb.toString());
        return true;
    }

    /** Parses every line as ipvsadm {@code -R} input would; a refused line is an error at its origin. */
    void validate(Diagnostics d) {
        for (int i = 0; i < lines.size(); i++) {
            try {
                IpvsadmParser.parseRestore(new StringReader(lines.get(i)));
            } catch (IpvsadmException e) {
                d.error(origins.get(i), "ipvsadm refuses the translated rule \"" + lines.get(i) + "\": "
                    + e.ipvsadmMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The service options of a rule: {@code -t a:p}, {@code -u a:p}, {@code --sctp-service a:p}, {@code -f m [-6]}. */
    static String service(ServiceKey key) {
        if (key.isFwmark()) {
            return "-f " + Integer.toUnsignedString(key.fwmark()) + (key.af() == Af.INET6 ? " -6" : "");
        }
        String opt = switch (key.protocol()) {
            case IpProto.TCP -> "-t ";
            case IpProto.UDP -> "-u ";
            case IpProto.SCTP -> "--sctp-service ";
            default -> throw new IllegalArgumentException("no ipvsadm option for protocol " + key.protocol());
        };
        return opt + addrPort(key.address(), key.port());
    }

    /** {@code a.b.c.d:p} or {@code [v6]:p}. */
    static String addrPort(IpAddress a, int port) {
        return (a.isV6() ? "[" + a + "]" : a.toString()) + ":" + port;
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

    private void add(SourceLocation at, String line) {
        lines.add(line);
        origins.add(at);
    }
}
