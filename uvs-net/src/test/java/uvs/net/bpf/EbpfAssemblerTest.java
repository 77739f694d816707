package uvs.net.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uvs.net.bpf.EbpfAssembler.R0;
import static uvs.net.bpf.EbpfAssembler.R1;
import static uvs.net.bpf.EbpfAssembler.R10;
import static uvs.net.bpf.EbpfAssembler.R2;
import static uvs.net.bpf.EbpfAssembler.R6;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Encodings checked against the instruction set document, computed by hand byte for byte. */
class EbpfAssemblerTest {
    private static String hex(EbpfAssembler a) {
        return HexFormat.of().formatHex(a.assemble());
    }

    @Test
    void movImmediateAndExit() {
        // BPF_ALU64|BPF_MOV|BPF_K = 0xb7, dst r0, imm 2; BPF_JMP|BPF_EXIT = 0x95
        assertThat(hex(new EbpfAssembler().mov(R0, 2).exit()))
            .isEqualTo("b700000002000000" + "9500000000000000");
    }

    @Test
    void registersShareOneByteDestinationLowNibble() {
        // mov r6, r1: 0xbf, regs byte = dst 6 | src 1 << 4 = 0x16
        assertThat(hex(new EbpfAssembler().movReg(R6, R1))).isEqualTo("bf16000000000000");
    }

    @Test
    void loadsAndStoresCarrySizeAndSignedOffset() {
        // ldxw r2, [r1+4]: 0x61, 0x12, off 4
        assertThat(hex(new EbpfAssembler().load(EbpfAssembler.W, R2, R1, 4))).isEqualTo("6112040000000000");
        // ldxh r1, [r6+12]: 0x69
        assertThat(hex(new EbpfAssembler().load(EbpfAssembler.H, R1, R6, 12))).isEqualTo("69610c0000000000");
        // stxdw [r10-24], r1: 0x7b, 0x1a, off -24 = 0xffe8
        assertThat(hex(new EbpfAssembler().store(EbpfAssembler.DW, R10, -24, R1))).isEqualTo("7b1ae8ff00000000");
        // stb [r10-5], 2: 0x72, 0x0a, off 0xfffb, imm 2
        assertThat(hex(new EbpfAssembler().storeImm(EbpfAssembler.B, R10, -5, 2))).isEqualTo("720afbff02000000");
    }

    @Test
    void aluWithImmediateAndRegister() {
        // add r2, -24: 0x07; and r3, 15: 0x57; lsh r3, 2: 0x67; add r1, r2: 0x0f
        assertThat(hex(new EbpfAssembler().alu(EbpfAssembler.ADD, R2, -24))).isEqualTo("07020000e8ffffff");
        assertThat(hex(new EbpfAssembler().alu(EbpfAssembler.AND, 3, 15))).isEqualTo("570300000f000000");
        assertThat(hex(new EbpfAssembler().alu(EbpfAssembler.LSH, 3, 2))).isEqualTo("6703000002000000");
        assertThat(hex(new EbpfAssembler().aluReg(EbpfAssembler.ADD, R1, R2))).isEqualTo("0f21000000000000");
    }

    @Test
    void mapLoadTakesTwoSlotsWithPseudoMapSource() {
        // lddw r1, map fd 7: 0x18, dst 1 | src 1 (BPF_PSEUDO_MAP_FD) << 4, imm 7; then a zero slot
        assertThat(hex(new EbpfAssembler().loadMap(R1, 7))).isEqualTo("1811000007000000" + "0000000000000000");
        assertThat(hex(new EbpfAssembler().loadImm64(R2, 0x1122334455667788L)))
            .isEqualTo("1802000088776655" + "0000000044332211");
    }

    @Test
    void jumpsCountSlotsFromTheNextInstructionBothWays() {
        EbpfAssembler a = new EbpfAssembler()
            .label("top")
            .jump(EbpfAssembler.JEQ, R1, 0x0008, "out") // 0: +3 (skips the two-slot load and the ja)
            .loadMap(R2, 1) // 1-2
            .ja("top") // 3: back to 0 = -4
            .label("out").call(51).exit();
        assertThat(hex(a)).isEqualTo(
            "1501030008000000" + "1812000001000000" + "0000000000000000" + "0500fcff00000000"
                + "8500000033000000" + "9500000000000000");
        // jgt r1, r8 (register compare): 0x2d, regs 0x81
        assertThat(hex(new EbpfAssembler().label("x").jumpReg(EbpfAssembler.JGT, R1, 8, "x")))
            .isEqualTo("2d81ffff00000000");
    }

    @Test
    void refusesUndefinedAndDuplicateLabelsAndBadRegisters() {
        assertThatThrownBy(() -> new EbpfAssembler().ja("nowhere").assemble())
            .hasMessageContaining("undefined label nowhere");
        assertThatThrownBy(() -> new EbpfAssembler().label("a").label("a")).hasMessageContaining("placed twice");
        assertThatThrownBy(() -> new EbpfAssembler().mov(11, 0)).hasMessageContaining("register");
    }

    @Test
    void atomicAddsAndByteSwaps() {
        // lock *(u64 *)(r0 + 8) += r1: BPF_STX|BPF_ATOMIC|BPF_DW = 0xdb, regs 0x10, off 8, imm BPF_ADD = 0
        assertThat(hex(new EbpfAssembler().atomicAdd(EbpfAssembler.DW, R0, 8, R1))).isEqualTo("db10080000000000");
        // 32-bit: 0xc3
        assertThat(hex(new EbpfAssembler().atomicAdd(EbpfAssembler.W, R2, -4, R1))).isEqualTo("c312fcff00000000");
        // be16 r1: BPF_ALU|BPF_END|BPF_TO_BE = 0xdc, imm 16; be32 / be64 by imm
        assertThat(hex(new EbpfAssembler().toBigEndian(R1, 16))).isEqualTo("dc01000010000000");
        assertThat(hex(new EbpfAssembler().toBigEndian(R2, 64))).isEqualTo("dc02000040000000");
        assertThatThrownBy(() -> new EbpfAssembler().atomicAdd(EbpfAssembler.H, R0, 0, R1))
            .hasMessageContaining("32 or 64");
        assertThatThrownBy(() -> new EbpfAssembler().toBigEndian(R1, 8)).hasMessageContaining("8 bits");
    }

    @Test
    void xorAndJumpIfLessOrEqual() {
        // xor r1, 0xffff: BPF_ALU64|BPF_XOR|BPF_K = 0xa7
        assertThat(hex(new EbpfAssembler().alu(EbpfAssembler.XOR, R1, 0xffff))).isEqualTo("a7010000ffff0000");
        // jle r2, 1, +0: BPF_JMP|BPF_JLE|BPF_K = 0xb5
        assertThat(hex(new EbpfAssembler().jump(EbpfAssembler.JLE, R2, 1, "n").label("n")))
            .isEqualTo("b502000001000000");
    }
}
