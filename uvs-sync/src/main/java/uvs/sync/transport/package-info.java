/**
 * How sync datagrams travel: the {@link uvs.sync.transport.SyncTransport} contract, real UDP multicast
 * ({@link uvs.sync.transport.MulticastSyncTransport}), an in-process seeded lossy wire for tests and the
 * simulator ({@link uvs.sync.transport.InMemorySyncTransport}) and the backup's receiver-thread ring
 * ({@link uvs.sync.transport.ReceiveRingTransport}).
 */
package uvs.sync.transport;
