/**
 * Packet ports: the {@link uvs.net.io.PacketIo} boundary between a data-plane worker and the kernel
 * (AF_PACKET through FFM) or an in-memory stand-in. Each port belongs to one worker thread.
 */
package uvs.net.io;
