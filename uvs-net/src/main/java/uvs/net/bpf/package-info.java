/**
 * eBPF without a C toolchain: {@link uvs.net.bpf.EbpfAssembler} encodes instructions, {@link uvs.net.bpf.Bpf}
 * drives the {@code bpf(2)} syscall (maps, program load with the verifier's log, XDP and tcx links, test runs),
 * {@link uvs.net.bpf.XdpSteering} is the XDP program that sends UVS's frames to its AF_XDP sockets, and
 * {@link uvs.net.bpf.FastPathMap} with {@code XdpFastPath} is the fast path at its head that forwards established
 * flows in the driver; {@link uvs.net.bpf.TcFastPath} runs the same fast path at traffic control's ingress for
 * AF_PACKET ports.
 */
package uvs.net.bpf;
