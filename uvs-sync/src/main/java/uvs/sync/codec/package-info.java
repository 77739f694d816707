/**
 * The IPVS sync wire formats, byte-exact with the Linux kernel (reference §1): flyweights over Agrona
 * buffers for the message header ({@link uvs.sync.codec.SyncMessageHeader}) and the v1 / v0 connection
 * entries ({@link uvs.sync.codec.SyncConnV1}, {@link uvs.sync.codec.SyncConnV0}), the master's
 * {@link uvs.sync.codec.SyncMessageWriter} and the backup's validating
 * {@link uvs.sync.codec.SyncMessageReader}. Every multi-byte field is accessed with an explicit byte
 * order (big-endian, except the v0 sequence data, which is in an x86 sender's little-endian host order).
 * Encoding and decoding allocate nothing.
 */
package uvs.sync.codec;
