/**
 * The {@code net.ipv4.vs.*} sysctls of one engine: their descriptors ({@link uvs.core.tune.Tunable}), live
 * values ({@link uvs.core.tune.Tunables}) and sysctl.conf files ({@link uvs.core.tune.SysctlFile}).
 */
package uvs.core.tune;
