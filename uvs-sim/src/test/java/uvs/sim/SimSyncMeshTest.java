package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uvs.sync.transport.SyncTransport;
import uvs.time.ManualClock;

/** The simulated multicast group: every master's datagram reaches every other backup; replies go back. */
class SimSyncMeshTest {
    private static final Scenario.SyncLink PERFECT = new Scenario.SyncLink(0, 0, 0, 0);

    private static int receive(SyncTransport t, UnsafeBuffer rx) {
        return t.receive(rx, 0) == SyncTransport.NONE ? -1 : rx.getByte(0);
    }

    @Test
    void shouldDeliverEachMastersDatagramToEveryOtherDirectorOnce() {
        SimSyncMesh mesh = new SimSyncMesh(new ManualClock(), 3, 1, PERFECT);
        UnsafeBuffer tx = new UnsafeBuffer(new byte[8]);
        UnsafeBuffer rx = new UnsafeBuffer(new byte[8]);
        tx.putByte(0, (byte) 7);
        assertThat(mesh.masterSide(0).send(tx, 0, 8, 0)).isEqualTo(8);
        tx.putByte(0, (byte) 9);
        mesh.masterSide(2).send(tx, 0, 8, 0);
        // director 1 hears 0 and 2; director 2 hears 0; director 0 hears 2; nobody hears itself
        SyncTransport b1 = mesh.backupSide(1);
        assertThat(receive(b1, rx)).isEqualTo(7);
        assertThat(receive(b1, rx)).isEqualTo(9);
        assertThat(receive(b1, rx)).isEqualTo(-1);
        SyncTransport b2 = mesh.backupSide(2);
        assertThat(receive(b2, rx)).isEqualTo(7);
        assertThat(receive(b2, rx)).isEqualTo(-1);
        SyncTransport b0 = mesh.backupSide(0);
        assertThat(receive(b0, rx)).isEqualTo(9);
        assertThat(receive(b0, rx)).isEqualTo(-1);
        // multicast: each datagram counted once however many receive it
        assertThat(mesh.sent()).isEqualTo(2);
        assertThat(mesh.lost()).isZero();
    }

    @Test
    void shouldReplyToTheMasterTheDatagramCameFrom() {
        SimSyncMesh mesh = new SimSyncMesh(new ManualClock(), 3, 1, PERFECT);
        UnsafeBuffer tx = new UnsafeBuffer(new byte[4]);
        UnsafeBuffer rx = new UnsafeBuffer(new byte[4]);
        SyncTransport m2 = mesh.masterSide(2);
        SyncTransport b1 = mesh.backupSide(1);
        m2.send(tx, 0, 4, 0);
        assertThat(b1.receive(rx, 0)).isEqualTo(4);
        tx.putByte(0, (byte) 5);
        b1.reply(tx, 0, 1, 0, b1.source(0));
        assertThat(mesh.masterSide(0).receiveReply(rx, 0)).isEqualTo(SyncTransport.NONE);
        assertThat(m2.receiveReply(rx, 0)).isEqualTo(1);
        assertThat(rx.getByte(0)).isEqualTo((byte) 5);
    }

    @Test
    void shouldLoseWhatWasOnItsWayToARestartedDirectorOnly() {
        SimSyncMesh mesh = new SimSyncMesh(new ManualClock(), 3, 1, PERFECT);
        UnsafeBuffer tx = new UnsafeBuffer(new byte[4]);
        UnsafeBuffer rx = new UnsafeBuffer(new byte[4]);
        mesh.masterSide(0).send(tx, 0, 4, 0);
        mesh.dropInFlightTo(1);
        assertThat(mesh.backupSide(1).receive(rx, 0)).isEqualTo(SyncTransport.NONE);
        assertThat(mesh.backupSide(2).receive(rx, 0)).isEqualTo(4);
        assertThat(mesh.lost()).isEqualTo(1);
    }
}
