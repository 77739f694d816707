/**
 * Immutable snapshots of an engine (services, real servers, connections, totals, timeouts) and of the
 * sync daemons, in the shape ipvsadm and the kernel's procfs files read them. Built on the engine's owner
 * thread by {@link uvs.ctl.view.Snapshots}; read by the formatters of {@code uvs.ctl.format} on any thread.
 */
package uvs.ctl.view;
