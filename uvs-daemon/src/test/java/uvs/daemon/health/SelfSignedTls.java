package uvs.daemon.health;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Key pairs and self-signed certificates made by the JDK's keytool for loopback TLS servers; skips without it. */
final class SelfSignedTls {
    private SelfSignedTls() {
    }

    /** A server context with a new key pair and a self-signed certificate for localhost ({@code dir/server.p12}). */
    static SSLContext context(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Path store = keyPair(dir, "server.p12", "CN=localhost");
        char[] pass = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, pass);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** A PKCS12 store {@code dir/file} with a new EC key pair, its certificate self-signed for {@code dname}. */
    static Path keyPair(Path dir, String file, String dname) throws IOException, InterruptedException {
        Path store = dir.resolve(file);
        keytool("-genkeypair", "-alias", "uvs", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
            "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
            "-storepass", "changeit", "-keypass", "changeit", "-noprompt");
        return store;
    }

    /** The certificate of {@code dir/store} as PEM in {@code dir/pem}. */
    static Path exportCertificate(Path dir, String store, String pem) throws IOException, InterruptedException {
        Path out = dir.resolve(pem);
        keytool("-exportcert", "-rfc", "-alias", "uvs", "-keystore", dir.resolve(store).toString(),
            "-storepass", "changeit", "-file", out.toString());
        return out;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "TLS live test skipped: no keytool at " + keytool);
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream out = p.getInputStream()) {
            out.transferTo(OutputStream.nullOutputStream());
        }
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
            "TLS live test skipped: keytool " + args[0] + " failed");
    }
}
