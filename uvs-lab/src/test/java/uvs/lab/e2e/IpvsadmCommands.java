package uvs.lab.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A seeded generator of ipvsadm command lines for the kernel differential: services of every protocol, family
 * and fwmark, every scheduler the kernel has with its flags, persistence with netmasks, real servers of every
 * method with weights, thresholds and tunnel options, edits, deletes, {@code --set}, sync daemons, zeroing and
 * invalid commands. Addresses come from small pools so edits and deletes mostly hit what exists.
 */
final class IpvsadmCommands {
    /** The kernel's schedulers (6.1 has no twos). */
    static final List<String> SCHEDULERS = List.of("rr", "wrr", "lc", "wlc", "sed", "nq", "dh", "sh", "mh",
        "lblc", "lblcr", "fo", "ovf");

    private static final List<String> VIPS4 = List.of("10.1.1.1", "10.1.1.2", "192.168.7.9");
    private static final List<String> VIPS6 = List.of("[2001:db8::1]", "[fd00:1::80]");
    private static final List<String> RS4 = List.of("10.2.2.1", "10.2.2.2", "10.2.2.3", "172.16.0.5");
    private static final List<String> RS6 = List.of("[2001:db8:1::10]", "[2001:db8:1::11]", "[fd00:2::5]");
    private static final List<String> PORTS = List.of("80", "443", "53", "8080");
    private static final List<String> METHODS = List.of("-g", "-m", "-i");
    private static final List<String> INVALID = List.of(
        "-A -t 10.1.1.1:80 -s nosuch", "-A -t 10.1.1.300:80", "-a -t 10.9.9.9:80 -r 10.2.2.1 -g",
        "-A -f 0 -s rr", "-a -t 10.1.1.1:80 -r 10.2.2.1 -w -1", "-a -t 10.1.1.1:80 -r 10.2.2.1 -w 70000",
        "-A -t 10.1.1.1", "-A", "-Q", "-A -t 10.1.1.1:80 -p 0", "-A -u [2001:db8::1]:53 -M 129",
        "-E -t 10.1.1.77:80 -s rr", "-D -t 10.1.1.77:80", "-d -t 10.1.1.1:80 -r 10.2.2.99",
        "-a -t 10.1.1.1:80 -r 10.2.2.1 -x -5", "--set 1 2", "-A -t 10.1.1.1:80 -s rr -b nosuchflag",
        "-L -n -t 10.1.1.77:80", "-a -t 10.1.1.1:80 -r [2001:db8:1::10]:80 -g", "-A -t 10.1.1.1:99999");

    private final RandomGenerator random;

    IpvsadmCommands(RandomGenerator random) {
        this.random = random;
    }

    /** {@code n} command lines (argument words, without the program name). */
    List<List<String>> commands(int n) {
        List<List<String>> out = new ArrayList<>();
        while (out.size() < n) {
            out.add(List.of(next().split(" ")));
        }
        return out;
    }

    private String next() {
        int k = random.nextInt(100);
        if (k < 28) {
            return "-A " + service() + serviceOptions();
        }
        if (k < 36) {
            return "-E " + service() + serviceOptions();
        }
        if (k < 41) {
            return "-D " + service();
        }
        if (k < 66) {
            return "-a " + destination() + destOptions();
        }
        if (k < 76) {
            return "-e " + destination() + destOptions();
        }
        if (k < 81) {
            return "-d " + destination();
        }
        if (k < 89) {
            return pick(INVALID);
        }
        if (k < 92) {
            return "--set " + random.nextInt(1000) + " " + random.nextInt(200) + " " + random.nextInt(500);
        }
        if (k < 94) {
            return random.nextBoolean() ? "-Z" : "-Z " + service();
        }
        if (k < 96) {
            return "-L -n " + service();
        }
        if (k < 98) {
            return random.nextBoolean()
                ? "--start-daemon " + pick(List.of("master", "backup")) + " --mcast-interface eth1 --syncid "
                    + random.nextInt(256)
                : "--stop-daemon " + pick(List.of("master", "backup"));
        }
        return "-C";
    }

    // one of a small set of services, so later commands find them
    private String service() {
        int k = random.nextInt(10);
        if (k < 2) {
            return "-f " + (1 + random.nextInt(3)) + (random.nextBoolean() ? " -6" : "");
        }
        String proto = pick(List.of("-t", "-t", "-u", "--sctp-service"));
        boolean v6 = random.nextInt(3) == 0;
        return proto + " " + pick(v6 ? VIPS6 : VIPS4) + ":" + pick(PORTS);
    }

    private String serviceOptions() {
        StringBuilder b = new StringBuilder();
        String sched = pick(SCHEDULERS);
        b.append(" -s ").append(sched);
        if (sched.equals("sh") || sched.equals("mh")) {
            int f = random.nextInt(4);
            if (f > 0) {
                b.append(" -b ").append(switch (f) {
                    case 1 -> sched + "-fallback";
                    case 2 -> sched + "-port";
                    default -> sched + "-fallback," + sched + "-port";
                });
            }
        }
        if (random.nextInt(3) == 0) {
            b.append(" -p");
            if (random.nextBoolean()) {
                b.append(' ').append(1 + random.nextInt(3600));
            }
            if (random.nextInt(3) == 0) {
                b.append(" -M ").append(pick(List.of("255.255.255.0", "255.255.0.0", "64", "128", "255.255.255.255")));
            }
        }
        return b.toString();
    }

    private String destination() {
        String svc = service();
        boolean v6 = svc.contains("[") || svc.endsWith("-6");
        String rs = pick(v6 ? RS6 : RS4);
        return svc + " -r " + rs + (random.nextBoolean() ? ":" + pick(PORTS) : "");
    }

    private String destOptions() {
        StringBuilder b = new StringBuilder();
        String method = pick(METHODS);
        b.append(' ').append(method);
        if (method.equals("-i") && random.nextInt(3) == 0) {
            String type = pick(List.of("ipip", "gue", "gre"));
            b.append(" --tun-type ").append(type);
            if (type.equals("gue")) {
                b.append(" --tun-port ").append(6080 + random.nextInt(3));
            }
            if (!type.equals("ipip") && random.nextBoolean()) {
                b.append(' ').append(pick(List.of("--tun-nocsum", "--tun-csum", "--tun-remcsum")));
            }
        }
        if (random.nextInt(4) != 0) {
            b.append(" -w ").append(random.nextInt(6));
        }
        if (random.nextInt(4) == 0) {
            b.append(" -x ").append(random.nextInt(100));
        }
        if (random.nextInt(4) == 0) {
            b.append(" -y ").append(random.nextInt(100));
        }
        return b.toString();
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
