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
        return inNamespace(ns, mainClass, List.of(), args);
    }

    /** The same with {@code jvmOptions} after the small-JVM defaults (a later option wins). */
    public static List<String> inNamespace(String ns, Class<?> mainClass, List<String> jvmOptions, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(SMALL_JVM);
        // the packet tools of the bench use Agrona buffers and FFM
        argv.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        argv.add("--enable-native-access=ALL-UNNAMED");
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(mainClass.getName());
        argv.addAll(args);
        return argv;
    }
}
