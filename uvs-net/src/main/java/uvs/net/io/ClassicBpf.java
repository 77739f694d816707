package uvs.net.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uvs.net.sys.Layouts;

/**
 * Classic BPF ({@code struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}}) programs: opcode constants and a
 * builder with symbolic jump labels. Arithmetic is on 32-bit registers; absolute word/half loads are big-endian.
 */
public final class ClassicBpf {
    /** Load into A. */
    public static final int BPF_LD = 0x00;
    /** ALU operation on A. */
    public static final int BPF_ALU = 0x04;
    /** Jump. */
    public static final int BPF_JMP = 0x05;
    /** Return. */
    public static final int BPF_RET = 0x06;
    /** 32-bit load size. */
    public static final int BPF_W = 0x00;
    /** 16-bit load size. */
    public static final int BPF_H = 0x08;
    /** 8-bit load size. */
    public static final int BPF_B = 0x10;
    /** Load from a packet offset. */
    public static final int BPF_ABS = 0x20;
    /** Multiply. */
    public static final int BPF_MUL = 0x20;
    /** Bitwise and. */
    public static final int BPF_AND = 0x50;
    /** Logical right shift. */
    public static final int BPF_RSH = 0x70;
    /** Unsigned remainder. */
    public static final int BPF_MOD = 0x90;
    /** Unconditional jump by k. */
    public static final int BPF_JA = 0x00;
    /** Jump if A == k. */
    public static final int BPF_JEQ = 0x10;
    /** Operand is the constant k. */
    public static final int BPF_K = 0x00;
    /** Return A. */
    public static final int BPF_A = 0x10;
    /** Base of ancillary loads ({@code SKF_AD_OFF}). */
    public static final int SKF_AD_OFF = -0x1000;
    /** Ancillary load of the frame's EtherType, host order ({@code SKF_AD_PROTOCOL}). */
    public static final int SKF_AD_PROTOCOL = 0;
    /** Base of loads relative to the network header ({@code SKF_NET_OFF}), wherever the frame data starts. */
    public static final int SKF_NET_OFF = -0x100000;
    /** Most instructions the kernel accepts ({@code BPF_MAXINSNS}). */
    public static final int MAX_INSTRUCTIONS = 4096;

    private ClassicBpf() {
    }

    /** A new program builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** An immutable classic BPF program. */
    public static final class Program {
        private final short[] code;
        private final byte[] jt;
        private final byte[] jf;
        private final int[] k;

        private Program(short[] code, byte[] jt, byte[] jf, int[] k) {
            this.code = code;
            this.jt = jt;
            this.jf = jf;
            this.k = k;
        }

        /** Number of instructions. */
        public int length() {
            return code.length;
        }

        /** Opcode of instruction {@code i}. */
        public int code(int i) {
            return code[i] & 0xffff;
        }

        /** Jump-if-true offset of instruction {@code i}. */
        public int jt(int i) {
            return jt[i] & 0xff;
        }

        /** Jump-if-false offset of instruction {@code i}. */
        public int jf(int i) {
            return jf[i] & 0xff;
        }

        /** Constant of instruction {@code i}. */
        public int k(int i) {
            return k[i];
        }

        /** Size in bytes of the {@code struct sock_filter[]} form. */
        public long byteSize() {
            return code.length * Layouts.SOCK_FILTER_SIZE;
        }

        /** Writes the instructions as {@code struct sock_filter[]} (native byte order) at the start of {@code to}. */
        public void writeTo(MemorySegment to) {
            for (int i = 0; i < code.length; i++) {
                long at = i * Layouts.SOCK_FILTER_SIZE;
                to.set(JAVA_SHORT_UNALIGNED, at, code[i]);
                to.set(JAVA_BYTE, at + 2, jt[i]);
                to.set(JAVA_BYTE, at + 3, jf[i]);
                to.set(JAVA_INT_UNALIGNED, at + 4, k[i]);
            }
        }
    }

    /** Builds a program; jump targets are labels, resolved (and range-checked) by {@link #build()}. */
    public static final class Builder {
        private final List<int[]> insns = new ArrayList<>(); // {code, k}
        private final List<String[]> targets = new ArrayList<>(); // {trueLabel, falseLabel} or JA label
        private final Map<String, Integer> labels = new HashMap<>();

        private Builder() {
        }

        /** Appends a non-jump instruction. */
        public Builder stmt(int code, int k) {
            insns.add(new int[] {code, k});
            targets.add(null);
            return this;
        }

        /** Appends a conditional jump to {@code ifTrue}/{@code ifFalse} (null: the next instruction). */
        public Builder jump(int code, int k, String ifTrue, String ifFalse) {
            insns.add(new int[] {BPF_JMP | code, k});
            targets.add(new String[] {ifTrue, ifFalse});
            return this;
        }

        /** Appends an unconditional jump (32-bit offset) to {@code label}. */
        public Builder ja(String label) {
            insns.add(new int[] {BPF_JMP | BPF_JA, 0});
            targets.add(new String[] {label});
            return this;
        }

        /** Names the position of the next instruction. */
        public Builder label(String name) {
            if (labels.putIfAbsent(name, insns.size()) != null) {
                throw new IllegalArgumentException("duplicate BPF label " + name);
            }
            return this;
        }

        /**
         * Resolves the labels.
         *
         * @throws IllegalArgumentException for an unknown or backward label, a conditional jump further than
         *     255 instructions, or a program longer than {@link #MAX_INSTRUCTIONS}
         */
        public Program build() {
            int n = insns.size();
            if (n == 0 || n > MAX_INSTRUCTIONS) {
                throw new IllegalArgumentException("BPF program has " + n + " instructions (1.." + MAX_INSTRUCTIONS
                        + " allowed)");
            }
            short[] code = new short[n];
            byte[] jt = new byte[n];
            byte[] jf = new byte[n];
            int[] k = new int[n];
            for (int i = 0; i < n; i++) {
                code[i] = (short) insns.get(i)[0];
                k[i] = insns.get(i)[1];
                String[] t = targets.get(i);
                if (t == null) {
                    continue;
                }
                if (t.length == 1) {
                    k[i] = offset(i, t[0], Integer.MAX_VALUE);
                } else {
                    jt[i] = (byte) offset(i, t[0], 255);
                    jf[i] = (byte) offset(i, t[1], 255);
                }
            }
            return new Program(code, jt, jf, k);
        }

        private int offset(int from, String label, int max) {
            if (label == null) {
                return 0;
            }
            Integer to = labels.get(label);
            if (to == null) {
                throw new IllegalArgumentException("unknown BPF label " + label);
            }
            int offset = to - from - 1;
            if (offset < 0 || offset > max) {
                throw new IllegalArgumentException("BPF jump from " + from + " to " + label + " out of range");
            }
            return offset;
        }
    }
}
