package uvs.lab.e2e;

import uvs.lab.demo.DirectorPair;

/** One way a director fails in a failover test (a kill, a link down, a drain, ...). */
@FunctionalInterface
interface DirectorFailure {
    /** Inflicts the failure on the running pair. */
    void inflict(DirectorPair directors) throws Exception;
}
