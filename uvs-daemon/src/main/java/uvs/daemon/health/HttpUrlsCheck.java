package uvs.daemon.health;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import uvs.ctl.health.CheckKind;

/**
 * Every url of a {@link CheckKind.HttpUrls} check in order, each an {@link HttpGetCheck} on its own
 * connection: the first failure decides, naming its path.
 */
public final class HttpUrlsCheck implements HealthCheck {
    private final List<HttpGetCheck> urls;
    private final List<String> paths;

    /** A check of every url of {@code spec} at {@code target}, from {@code source} (null = any). */
    public HttpUrlsCheck(InetSocketAddress target, InetSocketAddress source, CheckKind.HttpUrls spec,
                         Duration timeout) {
        this.urls = spec.urls().stream().map(h -> new HttpGetCheck(target, source, h, timeout)).toList();
        this.paths = spec.urls().stream().map(CheckKind.Http::path).toList();
    }

    @Override
    public CheckResult run() {
        for (int i = 0; i < urls.size(); i++) {
            CheckResult r = urls.get(i).run();
            if (!r.up()) {
                return CheckResult.down("url " + (i + 1) + " " + paths.get(i) + ": " + r.detail());
            }
        }
        return CheckResult.up(urls.size() + " urls as expected");
    }
}
