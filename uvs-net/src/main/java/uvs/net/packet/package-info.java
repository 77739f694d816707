/**
 * Flyweights over frames (Ethernet, ARP, IPv4, IPv6, TCP, UDP, SCTP, ICMP, ICMPv6), the parser that fills
 * the engine's {@link uvs.core.PacketHeader}, and checksums. Read and written in place; never allocating.
 */
package uvs.net.packet;
