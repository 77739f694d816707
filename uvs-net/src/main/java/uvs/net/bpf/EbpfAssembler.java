package uvs.net.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an eBPF program instruction by instruction, with symbolic jump labels resolved by {@link #assemble()}.
 * Each instruction is {@code struct bpf_insn {u8 code; u8 dst_reg:4, src_reg:4; s16 off; s32 imm}} in host
 * (little-endian) order; a 64-bit immediate load takes two slots. Jump offsets count slots from the next one.
 */
public final class EbpfAssembler {
    // instruction classes
    static final int LD = 0x00;
    static final int LDX = 0x01;
    static final int ST = 0x02;
    static final int STX = 0x03;
    static final int ALU = 0x04;
    static final int JMP = 0x05;
    static final int JMP32 = 0x06;
    static final int ALU64 = 0x07;
    // sources
    static final int K = 0x00;
    static final int X = 0x08;
    // memory modes and sizes
    static final int IMM = 0x00;
    static final int MEM = 0x60;
    static final int ATOMIC = 0xc0;
    /** 32-bit access. */
    public static final int W = 0x00;
    /** 16-bit access. */
    public static final int H = 0x08;
    /** 8-bit access. */
    public static final int B = 0x10;
    /** 64-bit access. */
    public static final int DW = 0x18;
    // ALU operations
    /** Add. */
    public static final int ADD = 0x00;
    /** Subtract. */
    public static final int SUB = 0x10;
    /** Multiply. */
    public static final int MUL = 0x20;
    /** Bitwise or. */
    public static final int OR = 0x40;
    /** Bitwise and. */
    public static final int AND = 0x50;
    /** Left shift. */
    public static final int LSH = 0x60;
    /** Logical right shift. */
    public static final int RSH = 0x70;
    /** Unsigned modulo. */
    public static final int MOD = 0x90;
    /** Bitwise exclusive or. */
    public static final int XOR = 0xa0;
    /** Move. */
    public static final int MOV = 0xb0;
    static final int END = 0xd0;
    static final int TO_BE = 0x08;
    // jump operations
    static final int JA = 0x00;
    /** Jump if equal. */
    public static final int JEQ = 0x10;
    /** Jump if unsigned greater. */
    public static final int JGT = 0x20;
    /** Jump if unsigned greater or equal. */
    public static final int JGE = 0x30;
    /** Jump if any bit of the operand is set. */
    public static final int JSET = 0x40;
    /** Jump if unsigned less. */
    public static final int JLT = 0xa0;
    /** Jump if unsigned less or equal. */
    public static final int JLE = 0xb0;
    /** Jump if not equal. */
    public static final int JNE = 0x50;
    static final int CALL = 0x80;
    static final int EXIT = 0x90;
    /** Source register value of a 64-bit immediate load that names a map by file descriptor. */
    static final int PSEUDO_MAP_FD = 1;

    /** Registers: R0 return value, R1-R5 arguments, R6-R9 kept across calls, R10 frame pointer. */
    public static final int R0 = 0;
    /** Register 1. */
    public static final int R1 = 1;
    /** Register 2. */
    public static final int R2 = 2;
    /** Register 3. */
    public static final int R3 = 3;
    /** Register 4. */
    public static final int R4 = 4;
    /** Register 5. */
    public static final int R5 = 5;
    /** Register 6. */
    public static final int R6 = 6;
    /** Register 7. */
    public static final int R7 = 7;
    /** Register 8. */
    public static final int R8 = 8;
    /** Register 9. */
    public static final int R9 = 9;
    /** The read-only frame pointer. */
    public static final int R10 = 10;

    private record Insn(int code, int dst, int src, int off, int imm, String target) {
    }

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /** Places {@code name} at the next instruction. */
    public EbpfAssembler label(String name) {
        if (labels.putIfAbsent(name, insns.size()) != null) {
            throw new IllegalArgumentException("eBPF label " + name + " is placed twice");
        }
        return this;
    }

    private EbpfAssembler add(int code, int dst, int src, int off, int imm, String target) {
        if (dst < 0 || dst > 10 || src < 0 || src > 10) {
            throw new IllegalArgumentException("eBPF register out of range: r" + dst + ", r" + src);
        }
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
            throw new IllegalArgumentException("eBPF offset " + off + " does not fit 16 bits");
        }
        insns.add(new Insn(code, dst, src, off, imm, target));
        return this;
    }

    /** {@code dst = imm} (64-bit, sign-extended). */
    public EbpfAssembler mov(int dst, int imm) {
        return add(ALU64 | MOV | K, dst, 0, 0, imm, null);
    }

    /** {@code dst = src} (64-bit). */
    public EbpfAssembler movReg(int dst, int src) {
        return add(ALU64 | MOV | X, dst, src, 0, 0, null);
    }

    /** {@code dst op= imm} (64-bit), {@code op} one of {@link #ADD}, {@link #AND}... */
    public EbpfAssembler alu(int op, int dst, int imm) {
        return add(ALU64 | op | K, dst, 0, 0, imm, null);
    }

    /** {@code dst op= src} (64-bit). */
    public EbpfAssembler aluReg(int op, int dst, int src) {
        return add(ALU64 | op | X, dst, src, 0, 0, null);
    }

    /** {@code dst = *(size *)(src + off)}, {@code size} one of {@link #B}, {@link #H}, {@link #W}, {@link #DW}. */
    public EbpfAssembler load(int size, int dst, int src, int off) {
        return add(LDX | MEM | size, dst, src, off, 0, null);
    }

    /** {@code *(size *)(dst + off) = src}. */
    public EbpfAssembler store(int size, int dst, int off, int src) {
        return add(STX | MEM | size, dst, src, off, 0, null);
    }

    /** {@code *(size *)(dst + off) = imm}. */
    public EbpfAssembler storeImm(int size, int dst, int off, int imm) {
        return add(ST | MEM | size, dst, 0, off, imm, null);
    }

    /**
     * {@code lock *(size *)(dst + off) += src}: an atomic add (BPF_ATOMIC with BPF_ADD), {@code size} {@link #W} or
     * {@link #DW}.
     */
    public EbpfAssembler atomicAdd(int size, int dst, int off, int src) {
        if (size != W && size != DW) {
            throw new IllegalArgumentException("eBPF atomic add is 32 or 64 bits wide");
        }
        return add(STX | ATOMIC | size, dst, src, off, ADD, null);
    }

    /**
     * {@code dst = htobe(bits)(dst)}: converts the low {@code bits} (16, 32 or 64) of {@code dst} between host
     * (little-endian) and network order, zeroing the bits above.
     */
    public EbpfAssembler toBigEndian(int dst, int bits) {
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new IllegalArgumentException("eBPF byte swap of " + bits + " bits");
        }
        return add(ALU | END | TO_BE, dst, 0, 0, bits, null);
    }

    /** Loads the file descriptor of a map into {@code dst} (the kernel turns it into the map's address). */
    public EbpfAssembler loadMap(int dst, int mapFd) {
        add(LD | IMM | DW, dst, PSEUDO_MAP_FD, 0, mapFd, null);
        return add(0, 0, 0, 0, 0, null);
    }

    /** {@code dst = imm64} (two slots). */
    public EbpfAssembler loadImm64(int dst, long imm) {
        add(LD | IMM | DW, dst, 0, 0, (int) imm, null);
        return add(0, 0, 0, 0, (int) (imm >>> 32), null);
    }

    /** {@code if (dst op imm) goto label} (64-bit compare), {@code op} one of {@link #JEQ}, {@link #JNE}... */
    public EbpfAssembler jump(int op, int dst, int imm, String label) {
        return add(JMP | op | K, dst, 0, 0, imm, label);
    }

    /** {@code if (dst op src) goto label} (64-bit compare). */
    public EbpfAssembler jumpReg(int op, int dst, int src, String label) {
        return add(JMP | op | X, dst, src, 0, 0, label);
    }

    /** {@code goto label}. */
    public EbpfAssembler ja(String label) {
        return add(JMP | JA, 0, 0, 0, 0, label);
    }

    /** Calls kernel helper number {@code helper}; arguments in R1-R5, result in R0, R1-R5 clobbered. */
    public EbpfAssembler call(int helper) {
        return add(JMP | CALL, 0, 0, 0, helper, null);
    }

    /** Returns R0. */
    public EbpfAssembler exit() {
        return add(JMP | EXIT, 0, 0, 0, 0, null);
    }

    /** Instruction slots so far. */
    public int size() {
        return insns.size();
    }

    /**
     * The encoded program.
     *
     * @throws IllegalArgumentException when a jump names a label that was never placed or is out of range
     */
    public byte[] assemble() {
        ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < insns.size(); i++) {
            Insn in = insns.get(i);
            int off = in.off();
            if (in.target() != null) {
                Integer at = labels.get(in.target());
                if (at == null) {
                    throw new IllegalArgumentException("eBPF jump to undefined label " + in.target());
                }
                off = at - (i + 1);
                if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("eBPF jump to " + in.target() + " is out of range");
                }
            }
            out.put((byte) in.code()).put((byte) (in.dst() | in.src() << 4)).putShort((short) off).putInt(in.imm());
        }
        return out.array();
    }
}
