package uvs.ctl.importer;

/**
 * The ldirectord settings a virtual section may override (global value, else ldirectord's default); null or
 * -1 = not set at this level.
 */
final class LdirectordSettings {
    /** ldirectord's defaults (set_defaults). */
    static final int DEFAULT_CHECKTIMEOUT = 5;
    static final int DEFAULT_NEGOTIATETIMEOUT = 30;
    static final int DEFAULT_CHECKINTERVAL = 10;

    int checktimeout = -1;
    int negotiatetimeout = -1;
    int checkcount = -1;
    int failurecount = -1;
    String quiescent;
    LdirectordFallback fallback;
}
