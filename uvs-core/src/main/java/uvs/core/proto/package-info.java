/**
 * Protocol state machines (the kernel's ip_vs_proto_tcp.c, _udp.c, _sctp.c): per-protocol transition
 * tables indexed [direction][event][state], state names as ipvsadm prints them, which packets may create a
 * conn, and the per-engine timeout table changed by {@code ipvsadm --set}. Handlers are stateless and
 * shared; {@link uvs.core.proto.ProtocolTimeouts} belongs to one engine and is changed from its thread.
 */
package uvs.core.proto;
