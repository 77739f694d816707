/**
 * {@code uvsadm --import}: translation of keepalived.conf ({@link uvs.ctl.importer.KeepalivedImporter}) and
 * ldirectord.cf ({@link uvs.ctl.importer.LdirectordImporter}) into ipvsadm {@code -R} rules, sync daemon
 * settings and their health checks, typed as the parsers read them ({@link uvs.ctl.model.CheckSpec}, what
 * the health checker runs; the checkers of one real server joined by {@code CheckPlanner}), with the report's
 * {@code # check} line of each checker as written and a {@code file:line} diagnostic for everything that is
 * ignored, not supported, corrected, wrong or not run as written
 * ({@link uvs.ctl.importer.ImportResult}, printed by {@link uvs.ctl.importer.ImportReport}). Nothing is
 * resolved: addresses must be numeric; ports may use a few well-known /etc/services names.
 */
package uvs.ctl.importer;
