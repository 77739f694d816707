package uvs.lab.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that run a lab main class inside a namespace with the current JVM's java and class path. */
public final class JavaCommand {
    // lab helpers are tiny: a small heap, C1 only and the serial collector start fast and stay small
    private static final List<String> SMALL_JVM = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private JavaCommand() {}

    /** {@code ip netns exec NS java ... mainClass args}. */
    public static List<String> inNamespace(String ns, Class<?> mainClass, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(SMALL_JVM);
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(mainClass.getName());
        argv.addAll(args);
        return argv;
    }
}
