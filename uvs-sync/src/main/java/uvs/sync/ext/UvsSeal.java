package uvs.sync.ext;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Seals and opens UVS datagrams of one configured mode (reliable, authenticated or both): appends the
 * {@link UvsTrailer} and its HMAC after a body, and checks the trailer and HMAC of a received datagram.
 * One instance per thread (it owns an {@link HmacAuthenticator}); allocation-free.
 */
public final class UvsSeal {
    /** {@link #open} result: the trailer is well formed and, with authentication, the HMAC verifies. */
    public static final int OK = 0;
    /** {@link #open} result: no trailer, a garbled one, or one of another mode. */
    public static final int NO_TRAILER = 1;
    /** {@link #open} result: the HMAC does not verify. */
    public static final int BAD_MAC = 2;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final int flags;
    private final int length;
    private final HmacAuthenticator auth;

    /**
     * A seal for the given mode.
     *
     * @param reliable reliable mode (trailer flag SEQ)
     * @param key      the shared key, or null without authentication
     * @throws IllegalArgumentException when neither mode is on, or the key is too short
     */
    public UvsSeal(boolean reliable, byte[] key) {
        this.flags = (reliable ? UvsTrailer.FLAG_SEQ : 0) | (key != null ? UvsTrailer.FLAG_AUTH : 0);
        if (flags == 0) {
            throw new IllegalArgumentException("a UVS trailer needs reliable or authenticated mode");
        }
        this.length = UvsTrailer.length(flags);
        this.auth = key != null ? new HmacAuthenticator(key) : null;
    }

    /** The trailer flags of this mode (SEQ and/or AUTH). */
    public int flags() {
        return flags;
    }

    /** Trailer length: 20, or 52 with authentication. */
    public int trailerLength() {
        return length;
    }

    /**
     * Writes the trailer after the body {@code [offset, offset + bodyLength)} and signs the datagram.
     *
     * @param extraFlags {@link UvsTrailer#FLAG_RESYNC} or 0
     * @return the datagram length
     */
    public int seal(MutableDirectBuffer b, int offset, int bodyLength, int type, int extraFlags, int sender, long seq) {
        int macAt = UvsTrailer.write(b, offset + bodyLength, flags | extraFlags, type, sender, seq);
        if (auth != null) {
            auth.sign(b, offset, macAt);
        }
        return bodyLength + length;
    }

    /**
     * Checks the datagram {@code [offset, offset + length)}: trailer present with this mode's flags, a known
     * type, a zero reserved field, and a verifying HMAC.
     *
     * @return {@link #OK}, {@link #NO_TRAILER} or {@link #BAD_MAC}
     */
    public int open(DirectBuffer b, int offset, int length) {
        if (length < this.length) {
            return NO_TRAILER;
        }
        int at = offset + length - this.length;
        if (b.getInt(at + UvsTrailer.MAGIC_OFFSET, BE) != UvsTrailer.MAGIC) {
            return NO_TRAILER;
        }
        int f = UvsTrailer.flags(b, at);
        int type = UvsTrailer.type(b, at);
        boolean resync = (f & UvsTrailer.FLAG_RESYNC) != 0;
        if ((f & ~UvsTrailer.FLAG_RESYNC) != flags || type > UvsTrailer.TYPE_HEARTBEAT
            || (resync && type != UvsTrailer.TYPE_DATA) || UvsTrailer.reserved(b, at) != 0) {
            return NO_TRAILER;
        }
        if (auth != null && !auth.verify(b, offset, at + UvsTrailer.BASE_LENGTH)) {
            return BAD_MAC;
        }
        return OK;
    }

    /** Where the trailer of a datagram {@code [offset, offset + length)} starts. */
    public int trailerAt(int offset, int length) {
        return offset + length - this.length;
    }
}
