package uvs.daemon;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/** Runs an agent on a daemon thread for a test, failures printed; the agent's own stop ends it. */
public final class TestAgents {
    private TestAgents() {
    }

    /** Starts {@code agent} with {@code idle}; returns its thread (join it after stopping the agent). */
    public static Thread start(Agent agent, IdleStrategy idle) {
        AgentRunner runner = new AgentRunner(idle, Throwable::printStackTrace, null, agent);
        return AgentRunner.startOnThread(runner, Thread.ofPlatform().daemon().factory());
    }
}
