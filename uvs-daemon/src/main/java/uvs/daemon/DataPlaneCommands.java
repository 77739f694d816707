package uvs.daemon;

import java.util.List;
import uvs.core.net.IpAddress;

/**
 * UVS's own uvsadm commands for the packet data plane (ipvsadm has no equivalent):
 * <pre>
 *   uvsadm --announce ADDR     answer ARP/ND for ADDR and announce it (take a VIP or NAT gateway over)
 *   uvsadm --withdraw ADDR     stop answering for ADDR
 *   uvsadm -L --dataplane      the data plane's counters
 * </pre>
 */
final class DataPlaneCommands {
    private DataPlaneCommands() {
    }

    /** True if {@code args} is one of these commands. */
    static boolean matches(List<String> args) {
        return args.contains("--announce") || args.contains("--withdraw") || args.contains("--dataplane");
    }

    /** Runs the command on {@code dataPlane} (null when uvsd runs without {@code --interface}). */
    static ControlProtocol.Reply run(List<String> args, DataPlane dataPlane) {
        if (dataPlane == null) {
            return ControlProtocol.Reply.error(2, "uvsd runs without a data plane (start it with --interface IF)");
        }
        try {
            if (args.contains("--dataplane")) {
                if (!(args.size() == 2 && List.of("-L", "-l", "--list").contains(args.get(0)))) {
                    return ControlProtocol.Reply.error(2, "--dataplane goes with -L alone");
                }
                return new ControlProtocol.Reply(0, dataPlane.describe(), "");
            }
            if (args.size() != 2) {
                return ControlProtocol.Reply.error(2, args.get(0) + " takes exactly one address");
            }
            IpAddress a;
            try {
                a = IpAddress.parse(args.get(1));
            } catch (IllegalArgumentException e) {
                return ControlProtocol.Reply.error(2, args.get(0) + ": " + e.getMessage());
            }
            switch (args.get(0)) {
                case "--announce" -> {
                    return dataPlane.announce(a)
                        ? new ControlProtocol.Reply(0, "", "")
                        : ControlProtocol.Reply.error(1, a + " is already announced");
                }
                case "--withdraw" -> {
                    return dataPlane.withdraw(a)
                        ? new ControlProtocol.Reply(0, "", "")
                        : ControlProtocol.Reply.error(1, a + " is not announced");
                }
                default -> {
                    return ControlProtocol.Reply.error(2, "--announce and --withdraw come first, then the address");
                }
            }
        } catch (Exception e) {
            return ControlProtocol.Reply.error(IpvsadmHandler.EXIT_KERNEL_ERROR, "uvsd: " + e.getMessage());
        }
    }
}
