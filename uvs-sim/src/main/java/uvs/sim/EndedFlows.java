package uvs.sim;

/**
 * Flows whose client has stopped sending (closed or abandoned), oldest first, kept while their entries should
 * still exist on both directors so that the agreement can compare them; flat arrays in a growing FIFO ring.
 */
final class EndedFlows {
    private int[] client = new int[1024];
    private int[] port = new int[1024];
    private int[] vport = new int[1024];
    private int[] endedAt = new int[1024];
    private int head;
    private int size;

    /** Appends a flow that ended at {@code tick} (ticks are added in order). */
    void add(int c, int p, int vp, int tick) {
        if (size == client.length) {
            int n = size * 2;
            int[] c2 = new int[n];
            int[] p2 = new int[n];
            int[] v2 = new int[n];
            int[] e2 = new int[n];
            for (int j = 0; j < size; j++) {
                int from = (head + j) % size;
                c2[j] = client[from];
                p2[j] = port[from];
                v2[j] = vport[from];
                e2[j] = endedAt[from];
            }
            client = c2;
            port = p2;
            vport = v2;
            endedAt = e2;
            head = 0;
        }
        int at = (head + size) % client.length;
        client[at] = c;
        port[at] = p;
        vport[at] = vp;
        endedAt[at] = tick;
        size++;
    }

    /** Forgets the flows that ended before {@code tick}. */
    void dropBefore(int tick) {
        while (size > 0 && endedAt[head] - tick < 0) {
            head = (head + 1) % client.length;
            size--;
        }
    }

    /** Number of flows kept. */
    int size() {
        return size;
    }

    /** Client index of the {@code j}-th oldest flow. */
    int client(int j) {
        return client[(head + j) % client.length];
    }

    /** Client port of the {@code j}-th oldest flow. */
    int port(int j) {
        return port[(head + j) % client.length];
    }

    /** Virtual port of the {@code j}-th oldest flow. */
    int vport(int j) {
        return vport[(head + j) % client.length];
    }

    /** Tick of the {@code j}-th oldest flow's last packet. */
    int endedAt(int j) {
        return endedAt[(head + j) % client.length];
    }
}
