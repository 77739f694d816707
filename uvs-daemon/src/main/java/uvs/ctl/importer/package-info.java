/**
 * {@code uvsadm --import}: translation of keepalived.conf ({@link uvs.ctl.importer.KeepalivedImporter}) and
 * ldirectord.cf ({@link uvs.ctl.importer.LdirectordImporter}) into ipvsadm {@code -R} rules, sync daemon
 * settings and their health checks: each checker as read ({@link uvs.ctl.importer.ImportedCheck}, keyword
 * settings, shown by the report) and typed ({@link uvs.ctl.model.CheckSpec}, what the health checker runs,
 * made by {@code CheckPlanner}), with a {@code file:line} diagnostic for everything that is ignored, not
 * supported, corrected, wrong or not run as written
 * ({@link uvs.ctl.importer.ImportResult}, printed by {@link uvs.ctl.importer.ImportReport}). Nothing is
 * resolved: addresses must be numeric; ports may use a few well-known /etc/services names.
 */
package uvs.ctl.importer;
