/**
 * eBPF without a C toolchain: {@link uvs.net.bpf.EbpfAssembler} encodes instructions, {@link uvs.net.bpf.Bpf}
 * drives the {@code bpf(2)} syscall (maps, program load with the verifier's log, XDP links, test runs) and
 * {@link uvs.net.bpf.XdpSteering} is the XDP program that sends UVS's frames to its AF_XDP sockets.
 */
package uvs.net.bpf;
