/**
 * ipvsadm 1.31's command line: {@link uvs.ctl.cli.IpvsadmParser} turns arguments (popt rules, every
 * refusal with ipvsadm's exact message and exit code) and {@code -R} input into {@link uvs.ctl.cli.IpvsadmCommand}s,
 * and {@link uvs.ctl.cli.IpvsadmExecutor} applies the table-changing ones to an engine.
 */
package uvs.ctl.cli;
