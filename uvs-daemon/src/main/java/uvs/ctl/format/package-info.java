/**
 * ipvsadm 1.31's output formats ({@code -L} with its variants, {@code -c}, {@code --timeout},
 * {@code --daemon}, {@code -S}) and the kernel's /proc/net/ip_vs* files, byte for byte, written from the
 * views of {@code uvs.ctl.view}. UVS never resolves names: output without {@code -n} is the same as with
 * it (ipvsadm would print host and service names where the resolver knows them).
 */
package uvs.ctl.format;
