package uvs.lab.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeepalivedServicesTest {
    @Test
    void shouldWriteEachServiceAsAVirtualServerBlock() {
        String blocks = KeepalivedServices.fromRules("""
            -A -t 10.100.2.100:9000 -s wlc -p 300
            -a -t 10.100.2.100:9000 -r 10.100.1.11:9000 -g -w 1
            -A -u [fd00:100:2::100]:53 -s sh
            -a -u [fd00:100:2::100]:53 -r [fd00:100:1::11]:53 -m -w 2
            """);

        assertThat(blocks).isEqualTo("""
            virtual_server 10.100.2.100 9000 {
                protocol TCP
                lb_algo wlc
                persistence_timeout 300
                real_server 10.100.1.11 9000 {
                    lvs_method DR
                    weight 1
                }
            }
            virtual_server fd00:100:2::100 53 {
                protocol UDP
                lb_algo sh
                real_server fd00:100:1::11 53 {
                    lvs_method NAT
                    weight 2
                }
            }
            """);
    }

    @Test
    void shouldRefuseWhatItCannotWrite() {
        assertThatThrownBy(() -> KeepalivedServices.fromRules("-A -f 1 -s rr"))
            .hasMessage("not a lab rule: -A -f 1 -s rr");
        assertThatThrownBy(() -> KeepalivedServices.fromRules("-a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 1"))
            .hasMessage("not a lab rule: -a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 1");
        assertThatThrownBy(() -> KeepalivedServices.fromRules("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80"))
            .hasMessage("no forwarding method in: -a -t 10.0.0.1:80 -r 10.0.0.2:80");
    }
}
