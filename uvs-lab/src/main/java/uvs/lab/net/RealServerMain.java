package uvs.lab.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Main class of a lab real server ({@code --name rs1 [--lab PREFIX] [--http-port 80] [--stream-port 9000]
 * [--ready-file PATH]}); writes its PID to the ready file once both services listen, then runs until killed.
 */
public final class RealServerMain {
    private RealServerMain() {}

    /** Starts the real server; exits with status 2 on bad arguments, 1 if a port cannot be bound. */
    public static void main(String[] args) throws InterruptedException {
        String name = null;
        int httpPort = LabTopology.HTTP_PORT;
        int streamPort = LabTopology.STREAM_PORT;
        Path ready = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--name" -> name = required(args[i], value);
                    // only marks the command line, so lab cleanup can tell its own servers apart
                    case "--lab" -> required(args[i], value);
                    case "--http-port" -> httpPort = Integer.parseInt(required(args[i], value));
                    case "--stream-port" -> streamPort = Integer.parseInt(required(args[i], value));
                    case "--ready-file" -> ready = Path.of(required(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (name == null) {
                throw new IllegalArgumentException("missing --name");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("RealServerMain: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            RealServerServices server = RealServerServices.start(name, httpPort, streamPort);
            System.out.println(name + " listening: http " + server.httpPort() + ", stream " + server.streamPort());
            if (ready != null) {
                markReady(ready);
            }
        } catch (IOException e) {
            System.err.println("RealServerMain " + name + ": " + e);
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    // write then rename, so a reader never sees a half-written PID
    private static void markReady(Path ready) throws IOException {
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n");
        Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
