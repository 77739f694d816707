/**
 * Packet ports: the {@link uvs.net.io.PacketIo} boundary between a data-plane worker and the kernel
 * (AF_PACKET or AF_XDP through FFM; {@link uvs.net.io.ProtocolPorts} when a tcx fast path runs) or an
 * in-memory stand-in. Each port belongs to one worker thread.
 */
package uvs.net.io;
