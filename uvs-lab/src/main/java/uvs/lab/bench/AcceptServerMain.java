package uvs.lab.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The real servers' minimal TCP service for the connection-rate bench: accepts on every address (the VIP on lo
 * included), writes one byte and closes. Prints {@code ready} once listening; runs until killed.
 */
@Command(name = "accept-server", mixinStandardHelpOptions = true, description = "accept-and-close server of uvs bench")
public final class AcceptServerMain implements Callable<Integer> {
    private static final int BACKLOG = 4096;
    private static final int ACCEPTORS = 2;

    @Option(names = "--port", required = true, description = "TCP port")
    int port;

    /** Runs the server. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new AcceptServerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(port), BACKLOG);
        System.out.println(BlasterMain.READY);
        System.out.flush();
        Thread[] acceptors = new Thread[ACCEPTORS];
        for (int i = 0; i < ACCEPTORS; i++) {
            acceptors[i] = Thread.ofPlatform().name("accept-" + i).start(() -> serve(server));
        }
        for (Thread t : acceptors) {
            t.join();
        }
        return 0;
    }

    private static void serve(ServerSocketChannel server) {
        ByteBuffer one = ByteBuffer.allocateDirect(1);
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                one.clear().put((byte) '1').flip();
                c.write(one);
            } catch (IOException e) {
                // the client reset first: nothing to do, take the next one
            }
        }
    }
}
