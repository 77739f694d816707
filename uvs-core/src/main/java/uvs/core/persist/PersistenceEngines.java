package uvs.core.persist;

/** The persistence engines UVS knows, by name (the kernel registers only "sip"). */
public final class PersistenceEngines {
    private static final SipPersistenceEngine SIP = new SipPersistenceEngine();

    private PersistenceEngines() {
    }

    /** The engine called {@code name}, or null. */
    public static PersistenceEngine get(String name) {
        return SipPersistenceEngine.NAME.equals(name) ? SIP : null;
    }
}
