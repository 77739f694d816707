package uvs.ctl.importer;

import uvs.core.net.IpAddress;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.ServiceQuorum;
import uvs.ctl.health.SorryServer;

/**
 * The real server one checker checks and what its check does to it, as an importer read them.
 *
 * @param at the line that defines the check (the checker block, or the ldirectord real line)
 * @param service the virtual service
 * @param address the real server checked
 * @param port its port in the rules
 * @param weight the weight the real server has while up
 * @param timing when the check runs (its warm-up the upper bound each start draws below)
 * @param onFailure what a failure does to the real server
 * @param sorry the service's sorry/fallback server, or null
 */
record CheckedServer(SourceLocation at, ServiceKey service, IpAddress address, int port, int weight,
                     CheckTiming timing, FailureAction onFailure, SorryServer sorry) {
    /** How warnings name it: {@code real server ADDRESS:PORT of SERVICE}. */
    String name() {
        return "real server " + address.withPort(port) + " of " + service;
    }

    /** The typed check of this server that runs {@code kind} with these settings. */
    CheckSpec spec(CheckKind kind, boolean startDown, IpAddress connectAddress, int connectPort,
                   IpAddress bindAddress, ServiceQuorum quorum) {
        return new CheckSpec(at, service, address, port, weight, kind, timing, onFailure, startDown, connectAddress,
            connectPort, bindAddress, sorry, quorum);
    }
}
