package uvs.core;

import uvs.core.conn.ConnTable;

/**
 * Sizing and seeds of one engine.
 *
 * @param connCapacity maximum IPv4 connection entries (templates included)
 * @param connCapacity6 maximum IPv6 connection entries
 * @param connTabBits the kernel's conn_tab_bits, only for the "size=" that ipvsadm prints (8..27)
 * @param hashSeed seed of the connection-table hash
 * @param randomSeed seed of the schedulers' random source (twos)
 */
public record EngineConfig(int connCapacity, int connCapacity6, int connTabBits, long hashSeed, long randomSeed) {
    /** Default IPv4 capacity: 1 M entries (64 MB). */
    public static final int DEFAULT_CONN_CAPACITY = 1 << 20;
    /** Default IPv6 capacity: 256 K entries. */
    public static final int DEFAULT_CONN_CAPACITY6 = 1 << 18;
    /** The kernel's default CONFIG_IP_VS_TAB_BITS. */
    public static final int DEFAULT_CONN_TAB_BITS = 12;

    /** Validates the ranges. */
    public EngineConfig {
        if (connCapacity < 1 || connCapacity6 < 1
            || connCapacity > ConnTable.MAX_CAPACITY || connCapacity6 > ConnTable.MAX_CAPACITY) {
            throw new IllegalArgumentException("connection capacity must be 1.." + ConnTable.MAX_CAPACITY);
        }
        if (connTabBits < 8 || connTabBits > 27) {
            throw new IllegalArgumentException("conn_tab_bits " + connTabBits + " is out of range 8..27");
        }
    }

    /** Defaults with fixed seeds. */
    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_CONN_CAPACITY, DEFAULT_CONN_CAPACITY6, DEFAULT_CONN_TAB_BITS,
            0x5EED_0F_C0_77L, 42L);
    }

    /** Copy with other capacities. */
    public EngineConfig withCapacity(int v4, int v6) {
        return new EngineConfig(v4, v6, connTabBits, hashSeed, randomSeed);
    }
}
