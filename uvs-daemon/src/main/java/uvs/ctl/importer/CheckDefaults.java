package uvs.ctl.importer;

import java.time.Duration;

/**
 * The keepalived checker settings that a virtual server passes to its real servers and a real server to its
 * checkers (keepalived.conf(5): "the virtual server setting is the default for real servers, and the real
 * server setting is the default for checkers"); null = not set at this level.
 */
final class CheckDefaults {
    Duration connectTimeout;
    Duration delayLoop;
    Duration delayBeforeRetry;
    Duration warmup;
    Integer retry;
    Boolean alpha;
    Boolean inhibit;

    /** The value set here, else the one of {@code outer} (which may be null too). */
    static <T> T pick(T here, T outer) {
        return here != null ? here : outer;
    }

    /** The settings of this level with the unset ones taken from {@code outer}. */
    CheckDefaults under(CheckDefaults outer) {
        CheckDefaults c = new CheckDefaults();
        c.connectTimeout = pick(connectTimeout, outer.connectTimeout);
        c.delayLoop = pick(delayLoop, outer.delayLoop);
        c.delayBeforeRetry = pick(delayBeforeRetry, outer.delayBeforeRetry);
        c.warmup = pick(warmup, outer.warmup);
        c.retry = pick(retry, outer.retry);
        c.alpha = pick(alpha, outer.alpha);
        c.inhibit = pick(inhibit, outer.inhibit);
        return c;
    }
}
