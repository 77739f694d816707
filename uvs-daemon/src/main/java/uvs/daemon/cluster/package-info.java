/**
 * uvsd's part in a cluster of directors: what it tells the daemons that move traffic between directors
 * (keepalived's VRRP, BIRD's BGP) and what it takes from them. {@link uvs.daemon.cluster.ClusterAgent} runs it
 * all on one control thread, never on a packet thread.
 */
package uvs.daemon.cluster;
