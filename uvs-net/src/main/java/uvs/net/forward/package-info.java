/**
 * Forwarding methods (ipvs-reference §8): direct routing, NAT in both directions with ICMP translation,
 * IPIP/GUE/GRE tunnelling, and the ICMP errors the director itself sends. One class per method.
 */
package uvs.net.forward;
