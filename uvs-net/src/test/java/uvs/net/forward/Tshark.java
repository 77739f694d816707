package uvs.net.forward;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Writes raw-IP (link type 101) or Ethernet (link type 1) pcaps and decodes them with tshark. */
final class Tshark {
    static final Path BINARY = Path.of("/usr/bin/tshark");
    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_RAW = 101;

    private Tshark() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** A classic little-endian pcap holding {@code packets}. */
    static Path writePcap(Path dir, int linkType, List<byte[]> packets) throws IOException {
        int size = 24 + packets.stream().mapToInt(p -> 16 + p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
        int t = 1;
        for (byte[] p : packets) {
            b.putInt(t++).putInt(0).putInt(p.length).putInt(p.length).put(p);
        }
        Path file = Files.createTempFile(dir, "uvs", ".pcap");
        Files.write(file, b.array());
        return file;
    }

    /** One line per packet: the tab-separated {@code fields} (repeated fields joined by commas). */
    static List<String> fields(Path pcap, String... fields) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-r", pcap.toString(),
            "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-T", "fields", "-E", "separator=/t"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tshark did not finish");
        }
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
