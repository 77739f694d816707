/**
 * The kernel boundary through the FFM API: libc calls, socket options and structure layouts, capability
 * checks, interface, address and route facts. No other package calls native code.
 */
package uvs.net.sys;
