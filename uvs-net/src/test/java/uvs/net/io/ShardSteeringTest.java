package uvs.net.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;

class ShardSteeringTest {
    // expected values: key * 0x9E3779B1 mod 2^32, top 16 bits, mod n (worked with a calculator):
    // 10.0.0.1 = 0x0a000001 -> 0x883779b1 -> 0x8837 = 34871 -> % 4 = 3
    // 10.0.0.x & 0xffffff00 = 0x0a000000 -> 0xea000000 -> 0xea00 = 59904 -> % 4 = 0
    // 192.168.1.7 = 0xc0a80107 -> 0x272604d7 -> 0x2726 = 10022 -> % 3 = 2
    // 1 -> 0x9e3779b1 -> 0x9e37 = 40503 -> % 7 = 1
    @Test
    void shouldMatchHandComputedShards() {
        assertThat(ShardSteering.shardOf(Af.INET, 0, 0x0a000001L, -1, 4)).isEqualTo(3);
        assertThat(ShardSteering.shardOf(Af.INET, 0, 0x0a000001L, 0xffffff00, 4)).isEqualTo(0);
        assertThat(ShardSteering.shardOf(Af.INET, 0, 0x0a0000feL, 0xffffff00, 4)).isEqualTo(0);
        assertThat(ShardSteering.shardOf(Af.INET, 0, 0xc0a80107L, -1, 3)).isEqualTo(2);
        assertThat(ShardSteering.shardOf(Af.INET6, 0x20010db800000000L, 1, -1, 7)).isEqualTo(1);
    }

    @Test
    void shouldKeyRepliesOfRealServersOnTheClient() {
        ShardSteering steering = new ShardSteering(List.of(IpAddress.parse("10.1.0.5")), -1, 4);
        // client 10.0.0.1 -> VIP and real server 10.1.0.5 -> client both land on shard 3
        assertThat(steering.shardOf(Af.INET, 0, 0x0a000001L, 0, 0x0a010064L)).isEqualTo(3);
        assertThat(steering.shardOf(Af.INET, 0, 0x0a010005L, 0, 0x0a000001L)).isEqualTo(3);
    }

    @Test
    void shouldBuildProgramWithinClassicBpfLimits() {
        List<IpAddress> servers = IntStream.range(0, 100)
                .mapToObj(i -> IpAddress.v4(0x0a010000 + i)).toList();
        ClassicBpf.Program p = new ShardSteering(servers, -1, 2).program();
        assertThat(p.length()).isLessThanOrEqualTo(ClassicBpf.MAX_INSTRUCTIONS);
        // the last instruction returns A
        assertThat(p.code(p.length() - 1)).isEqualTo(ClassicBpf.BPF_RET | ClassicBpf.BPF_A);
    }

    @Test
    void shouldRejectBadLabels() {
        assertThatThrownBy(() -> ClassicBpf.builder().ja("nowhere").build()).hasMessage("unknown BPF label nowhere");
        assertThatThrownBy(() -> ClassicBpf.builder().label("a").label("a")).hasMessage("duplicate BPF label a");
    }
}
