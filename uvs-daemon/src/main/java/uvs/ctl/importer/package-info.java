/**
 * {@code uvsadm --import}: translation of keepalived.conf ({@link uvs.ctl.importer.KeepalivedImporter}) and
 * ldirectord.cf ({@link uvs.ctl.importer.LdirectordImporter}) into ipvsadm {@code -R} rules, sync daemon
 * settings and a neutral model of their health checks ({@link uvs.ctl.importer.ImportedCheck}), with a
 * {@code file:line} diagnostic for everything that is ignored, not supported, corrected or wrong
 * ({@link uvs.ctl.importer.ImportResult}, printed by {@link uvs.ctl.importer.ImportReport}). Nothing is
 * resolved: addresses must be numeric; ports may use a few well-known /etc/services names.
 */
package uvs.ctl.importer;
