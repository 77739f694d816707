/**
 * The building blocks of UVS's reliable and authenticated sync modes (docs/sync.md, "UVS extensions"): the
 * datagram trailer ({@link uvs.sync.ext.UvsTrailer}) and control bodies ({@link uvs.sync.ext.UvsControl}),
 * sealing and checking them ({@link uvs.sync.ext.UvsSeal}, {@link uvs.sync.ext.HmacAuthenticator}), replay
 * protection ({@link uvs.sync.ext.ReplayWindow}), the backup's gap tracking ({@link uvs.sync.ext.GapTracker})
 * and the master's retransmit ring ({@link uvs.sync.ext.RetransmitRing}).
 */
package uvs.sync.ext;
