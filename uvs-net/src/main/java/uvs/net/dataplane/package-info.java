/**
 * Data-plane workers: receive a burst, parse, ask the engine, rewrite with the connection's forwarding
 * method, resolve the next hop's MAC, send. Also the ARP/ND responder for announced addresses.
 */
package uvs.net.dataplane;
