package uvs.core;

import uvs.core.conn.ConnTable;
import uvs.core.tune.Tunables;

/**
 * The kernel's memory-pressure defenses (update_defense_level, run every second): drop_entry,
 * drop_packet and secure_tcp, with their automatic modes 1/2. In user space "available memory" is the free part of the
 * connection tables, counted in 4 KiB pages of entries, so {@code amemthresh} reads as "that many pages
 * of free connection entries".
 */
final class Defense {
    private static final int PAGE = 4096;
    private final Tunables tunables;
    private final ConnTable conns4;
    private final ConnTable conns6;
    private int dropRate;
    private int dropCounter;
    private boolean secureTcp;
    private boolean dropEntry;

    Defense(Tunables tunables, ConnTable conns4, ConnTable conns6) {
        this.tunables = tunables;
        this.conns4 = conns4;
        this.conns6 = conns6;
    }

    /** Free entries of both tables in pages. */
    long availablePages() {
        long free4 = (long) (conns4.capacity() - conns4.size()) * conns4.entryBytes();
        long free6 = (long) (conns6.capacity() - conns6.size()) * conns6.entryBytes();
        return (free4 + free6) / PAGE;
    }

    /** Once a second: re-evaluates the modes, switching automatic modes 1 ↔ 2 as the kernel does. */
    void update() {
        long availmem = availablePages();
        int amemthresh = tunables.amemthresh();
        boolean nomem = availmem < amemthresh;

        switch (tunables.dropEntry()) {
            case 1 -> {
                dropEntry = nomem;
                if (nomem) {
                    tunables.set("drop_entry", "2");
                }
            }
            case 2 -> {
                dropEntry = nomem;
                if (!nomem) {
                    tunables.set("drop_entry", "1");
                }
            }
            case 3 -> dropEntry = true;
            default -> dropEntry = false;
        }

        switch (tunables.dropPacket()) {
            case 1 -> {
                if (nomem) {
                    dropRate = dropCounter = (int) (amemthresh / Math.max(1, amemthresh - availmem));
                    tunables.set("drop_packet", "2");
                } else {
                    dropRate = 0;
                }
            }
            case 2 -> {
                if (nomem) {
                    dropRate = dropCounter = (int) (amemthresh / Math.max(1, amemthresh - availmem));
                } else {
                    dropRate = 0;
                    tunables.set("drop_packet", "1");
                }
            }
            case 3 -> dropRate = tunables.amDroprate();
            default -> dropRate = 0;
        }

        switch (tunables.secureTcp()) {
            case 1 -> {
                if (nomem) {
                    secureTcp = true;
                    tunables.set("secure_tcp", "2");
                } else {
                    secureTcp = false;
                }
            }
            case 2 -> {
                if (nomem) {
                    secureTcp = true;
                } else {
                    secureTcp = false;
                    tunables.set("secure_tcp", "1");
                }
            }
            case 3 -> secureTcp = true;
            default -> secureTcp = false;
        }
    }

    /** ip_vs_todrop: true for one in every drop-rate connection-creating packets while the defense is on. */
    boolean dropNewPacket() {
        if (dropRate == 0) {
            return false;
        }
        if (--dropCounter > 0) {
            return false;
        }
        dropCounter = dropRate;
        return true;
    }

    /** True while drop_entry should thin out the connection table every second. */
    boolean dropEntry() {
        return dropEntry;
    }

    /** True while TCP uses the secure_tcp state table. */
    boolean secureTcp() {
        return secureTcp;
    }
}
