package uvs.lab.e2e;

import uvs.lab.net.LabTopology;

/** Director rules for the lab in ipvsadm-save form: a service on the VIP with the three real servers. */
final class Rules {
    private final StringBuilder text = new StringBuilder();

    /** Appends one TCP service on {@code VIP4} or {@code VIP6}:{@code port} with rs1..rs3 on the same port. */
    Rules service(boolean v6, int port, String scheduler, int persistenceSeconds, String method) {
        String vip = v6 ? "[" + LabTopology.VIP6 + "]" : LabTopology.VIP4;
        text.append("-A -t ").append(vip).append(':').append(port).append(" -s ").append(scheduler);
        if (persistenceSeconds > 0) {
            text.append(" -p ").append(persistenceSeconds);
        }
        text.append('\n');
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            text.append("-a -t ").append(vip).append(':').append(port).append(" -r ").append(realServer(v6, i, port))
                .append(' ').append(method).append(" -w 1\n");
        }
        return this;
    }

    /** {@code 10.100.1.11:80} or {@code [fd00:100:1::11]:80}: real server {@code i} as ipvsadm names it. */
    static String realServer(boolean v6, int i, int port) {
        return (v6 ? "[" + LabTopology.realServer6(i) + "]" : LabTopology.realServer4(i)) + ":" + port;
    }

    /** {@code 10.100.2.100:80} or {@code [fd00:100:2::100]:80}. */
    static String vip(boolean v6, int port) {
        return (v6 ? "[" + LabTopology.VIP6 + "]" : LabTopology.VIP4) + ":" + port;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
