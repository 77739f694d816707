package uvs.daemon.health;

import uvs.ctl.health.FailureAction;

/** A real server's health as its check sees it. */
public enum ServerState {
    /** Serving with its weight. */
    UP,
    /** Failed: quiesced or removed according to its {@link FailureAction}. */
    DOWN
}
