package uvs.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scenario's events in virtual time, in the order they take effect: within one tick, real-server changes
 * (in file order), then the standby's restart, director A's failure, A's return and the preempt that moves
 * traffic back to A.
 */
final class Timeline {
    /** What happens. */
    enum Kind { SERVER_CHANGE, BACKUP_RESTART, DIRECTOR_FAILS, DIRECTOR_RETURNS, PREEMPT }

    /**
     * One event.
     *
     * @param tick   when (ticks from the start, 1-based)
     * @param kind   what
     * @param change the real-server change ({@link Kind#SERVER_CHANGE} only, else null)
     */
    record Event(int tick, Kind kind, Scenario.ServerChange change) {
    }

    private final List<Event> events = new ArrayList<>();
    private int next;

    /** The events of {@code s} at {@code ticksPerSecond}; a time of 0 means "never". */
    Timeline(Scenario s, int ticksPerSecond) {
        for (Scenario.ServerChange c : s.serverChanges()) {
            add(c.second() * ticksPerSecond, Kind.SERVER_CHANGE, c);
        }
        add(s.backupRestartsAt() * ticksPerSecond, Kind.BACKUP_RESTART, null);
        add(s.failDirectorAt() * ticksPerSecond, Kind.DIRECTOR_FAILS, null);
        int returnTick = s.directorReturnsAt() * ticksPerSecond;
        add(returnTick, Kind.DIRECTOR_RETURNS, null);
        if (returnTick > 0) {
            add(returnTick + s.preemptDelay() * ticksPerSecond, Kind.PREEMPT, null);
        }
        // stable: server changes keep their order within a tick
        events.sort(Comparator.comparingInt(Event::tick).thenComparing(Event::kind));
    }

    private void add(int tick, Kind kind, Scenario.ServerChange change) {
        if (tick > 0) {
            events.add(new Event(tick, kind, change));
        }
    }

    /** The next event due at {@code tick}, or null when none (is left) for it. */
    Event poll(int tick) {
        if (next < events.size() && events.get(next).tick() == tick) {
            return events.get(next++);
        }
        return null;
    }
}
