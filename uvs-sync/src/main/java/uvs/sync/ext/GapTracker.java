package uvs.sync.ext;

/**
 * Reliable mode, backup side: follows one master's sequence numbers and keeps the ranges that went
 * missing, so that they can be asked for again (NACK). At most {@link #MAX_RANGES} ranges are kept; a
 * loss beyond that, or a range asked for {@link #MAX_REQUESTS} times without answer, is given up and
 * counted, and the caller should ask for a full resync.
 */
public final class GapTracker {
    /** Most missing ranges remembered. */
    public static final int MAX_RANGES = 64;
    /** How often one range is asked for before it is given up. */
    public static final int MAX_REQUESTS = 5;

    private final long[] start = new long[MAX_RANGES];
    private final long[] end = new long[MAX_RANGES];
    private final int[] requests = new int[MAX_RANGES];
    private final int[] lastAsked = new int[MAX_RANGES];
    private int ranges;
    private long expected = -1;
    private long received;
    private long lost;
    private long recovered;
    private long givenUp;

    /** {@code a + b} for counts (b >= 0): stops at Long.MAX_VALUE instead of wrapping negative. */
    public static long add(long a, long b) {
        long r = a + b;
        return r < a ? Long.MAX_VALUE : r;
    }

    /** Records a received sequence number; returns false for a duplicate (already seen or given up). */
    public boolean onSeq(long seq) {
        if (expected < 0) {
            expected = seq + 1;
            received = add(received, 1);
            return true;
        }
        if (seq == expected) {
            expected++;
            received = add(received, 1);
            return true;
        }
        if (seq > expected) {
            addRange(expected, seq - 1);
            expected = seq + 1;
            received = add(received, 1);
            return true;
        }
        // older than expected: fills a hole, or is a duplicate
        for (int i = 0; i < ranges; i++) {
            if (seq >= start[i] && seq <= end[i]) {
                fill(i, seq);
                received = add(received, 1);
                recovered = add(recovered, 1);
                return true;
            }
        }
        return false;
    }

    /** The next sequence number expected. */
    public long expected() {
        return expected;
    }

    /** Number of missing ranges. */
    public int ranges() {
        return ranges;
    }

    /** First missing number of range {@code i}. */
    public long rangeStart(int i) {
        return start[i];
    }

    /** Last missing number of range {@code i}. */
    public long rangeEnd(int i) {
        return end[i];
    }

    /** Total missing sequence numbers. */
    public long missing() {
        long n = 0;
        for (int i = 0; i < ranges; i++) {
            n = add(n, end[i] - start[i] + 1);
        }
        return n;
    }

    /**
     * Ranges due to be asked for at {@code now} (jiffies): not asked within {@code retryJiffies}. Marks
     * them asked and gives up ranges asked too often. Calls {@code sink} for each range to request.
     */
    public int due(int now, int retryJiffies, RangeSink sink) {
        int n = 0;
        for (int i = 0; i < ranges; ) {
            if (requests[i] > 0 && now - lastAsked[i] < retryJiffies) {
                i++;
                continue;
            }
            if (requests[i] >= MAX_REQUESTS) {
                givenUp = add(givenUp, end[i] - start[i] + 1);
                removeRange(i);
                continue;
            }
            requests[i]++;
            lastAsked[i] = now;
            sink.request(start[i], end[i]);
            n++;
            i++;
        }
        return n;
    }

    /** True if {@code seq} is in a missing range (not received, not given up). */
    public boolean isMissing(long seq) {
        for (int i = 0; i < ranges; i++) {
            if (seq >= start[i] && seq <= end[i]) {
                return true;
            }
        }
        return false;
    }

    /** The lowest missing sequence number, or -1 when nothing is missing. */
    public long firstMissing() {
        long min = -1;
        for (int i = 0; i < ranges; i++) {
            if (min < 0 || start[i] < min) {
                min = start[i];
            }
        }
        return min;
    }

    /**
     * Gives up the missing numbers within {@code from..to} (the master no longer holds them).
     *
     * @return how many missing numbers were given up
     */
    public long giveUp(long from, long to) {
        long n = 0;
        for (int i = 0; i < ranges; ) {
            long s = Math.max(start[i], from);
            long e = Math.min(end[i], to);
            if (s > e) {
                i++;
                continue;
            }
            n = add(n, e - s + 1);
            if (s == start[i] && e == end[i]) {
                removeRange(i);
                continue;
            }
            if (s == start[i]) {
                start[i] = e + 1;
            } else if (e == end[i]) {
                end[i] = s - 1;
            } else if (ranges < MAX_RANGES) {
                start[ranges] = e + 1;
                end[ranges] = end[i];
                requests[ranges] = requests[i];
                lastAsked[ranges] = lastAsked[i];
                ranges++;
                end[i] = s - 1;
            } else {
                // no slot to split into: the part above the given-up one goes too
                n = add(n, end[i] - e);
                end[i] = s - 1;
            }
            i++;
        }
        givenUp = add(givenUp, n);
        return n;
    }

    /** Gives up every missing number below {@code seq}; returns how many. */
    public long giveUpBelow(long seq) {
        return giveUp(Long.MIN_VALUE, seq - 1);
    }

    /** Sequence numbers received. */
    public long received() {
        return received;
    }

    /** Sequence numbers found missing (a later one arrived first). */
    public long lost() {
        return lost;
    }

    /** Sequence numbers that arrived after having been missing. */
    public long recovered() {
        return recovered;
    }

    /** Sequence numbers given up (too many ranges, or no answer). */
    public long givenUp() {
        return givenUp;
    }

    /** Forgets the master (it restarted under a new sender id). */
    public void reset() {
        ranges = 0;
        expected = -1;
    }

    private void addRange(long s, long e) {
        if (ranges == MAX_RANGES) {
            // the oldest range is the least likely to be answered: give it up
            givenUp = add(givenUp, end[0] - start[0] + 1);
            removeRange(0);
        }
        lost = add(lost, e - s + 1);
        start[ranges] = s;
        end[ranges] = e;
        requests[ranges] = 0;
        lastAsked[ranges] = 0;
        ranges++;
    }

    private void fill(int i, long seq) {
        if (start[i] == end[i]) {
            removeRange(i);
        } else if (seq == start[i]) {
            start[i]++;
        } else if (seq == end[i]) {
            end[i]--;
        } else if (ranges < MAX_RANGES) {
            // split: [start, seq-1] stays here, [seq+1, end] goes to a new slot
            start[ranges] = seq + 1;
            end[ranges] = end[i];
            requests[ranges] = requests[i];
            lastAsked[ranges] = lastAsked[i];
            ranges++;
            end[i] = seq - 1;
        } else {
            givenUp = add(givenUp, end[i] - seq);
            end[i] = seq - 1;
        }
    }

    private void removeRange(int i) {
        ranges--;
        start[i] = start[ranges];
        end[i] = end[ranges];
        requests[i] = requests[ranges];
        lastAsked[i] = lastAsked[ranges];
    }

    /** Receives ranges to ask for again. */
    @FunctionalInterface
    public interface RangeSink {
        /** Asks for sequence numbers {@code from..to} inclusive. */
        void request(long from, long to);
    }
}
