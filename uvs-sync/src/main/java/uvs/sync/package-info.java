/**
 * Connection synchronisation between directors: the IPVS sync wire formats (codec), the master's
 * "needed" rule and batching, the backup's apply, and UVS's reliable and authenticated extensions.
 */
package uvs.sync;
