package dev.sandq.executor.internal.assets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the dynamic loader reads from one ELF64 little-endian x86-64 object: its program
 * interpreter (PT_INTERP), the libraries it needs (DT_NEEDED) and where it says to look for
 * them (DT_RPATH, DT_RUNPATH). Only the headers and the dynamic section are read.
 *
 * @param interpreter PT_INTERP, when the object has one (executables)
 * @param needed      DT_NEEDED names, in order
 * @param rpath       DT_RPATH directories (unexpanded: $ORIGIN stays)
 * @param runpath     DT_RUNPATH directories (unexpanded)
 */
record ElfDynamic(Optional<String> interpreter, List<String> needed, List<String> rpath, List<String> runpath) {
    private static final int EM_X86_64 = 62;
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    private static final long DT_STRSZ = 10;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;
    /** Far above any real dynamic section or string table; guards against corrupt headers. */
    private static final long MAX_SECTION_BYTES = 16 << 20;

    ElfDynamic {
        needed = List.copyOf(needed);
        rpath = List.copyOf(rpath);
        runpath = List.copyOf(runpath);
    }

    /** True when the first bytes of the file are the ELF magic. */
    static boolean isElf(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4);
            return ch.read(magic, 0) == 4 && magic.get(0) == 0x7f && magic.get(1) == 'E' && magic.get(2) == 'L'
                    && magic.get(3) == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads the object, or empty when it is not an ELF64 little-endian x86-64 file (a linker
     * script named libfoo.so, a 32-bit library): the loader would skip those too.
     */
    static Optional<ElfDynamic> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer eh = read(ch, 0, 64);
            if (eh.limit() < 64 || eh.getInt(0) != 0x464c457f || eh.get(4) != 2 || eh.get(5) != 1
                    || (eh.getShort(18) & 0xffff) != EM_X86_64) {
                return Optional.empty();
            }
            long phoff = eh.getLong(32);
            int phentsize = eh.getShort(54) & 0xffff;
            int phnum = eh.getShort(56) & 0xffff;
            if (phentsize < 56) {
                throw new IOException(file + ": program header entries of " + phentsize + " bytes");
            }
            ByteBuffer ph = read(ch, phoff, (long) phentsize * phnum);
            List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
            long dynOffset = -1;
            long dynSize = 0;
            Optional<String> interpreter = Optional.empty();
            for (int i = 0; i + phentsize <= ph.limit(); i += phentsize) {
                int type = ph.getInt(i);
                long offset = ph.getLong(i + 8);
                long vaddr = ph.getLong(i + 16);
                long filesz = ph.getLong(i + 32);
                if (type == PT_LOAD) {
                    loads.add(new long[] {vaddr, offset, filesz});
                } else if (type == PT_DYNAMIC) {
                    dynOffset = offset;
                    dynSize = filesz;
                } else if (type == PT_INTERP) {
                    interpreter = Optional.of(cString(read(ch, offset, filesz), 0));
                }
            }
            if (dynOffset < 0) {
                return Optional.of(new ElfDynamic(interpreter, List.of(), List.of(), List.of()));
            }
            ByteBuffer dyn = read(ch, dynOffset, dynSize);
            List<Long> neededOffsets = new ArrayList<>();
            long strtab = -1;
            long strsz = 0;
            long rpathOffset = -1;
            long runpathOffset = -1;
            for (int i = 0; i + 16 <= dyn.limit(); i += 16) {
                long tag = dyn.getLong(i);
                long value = dyn.getLong(i + 8);
                if (tag == DT_NULL) {
                    break;
                } else if (tag == DT_NEEDED) {
                    neededOffsets.add(value);
                } else if (tag == DT_STRTAB) {
                    strtab = value;
                } else if (tag == DT_STRSZ) {
                    strsz = value;
                } else if (tag == DT_RPATH) {
                    rpathOffset = value;
                } else if (tag == DT_RUNPATH) {
                    runpathOffset = value;
                }
            }
            if (strtab < 0) {
                throw new IOException(file + ": a dynamic section without DT_STRTAB");
            }
            ByteBuffer strings = read(ch, fileOffset(file, loads, strtab), strsz);
            List<String> needed = new ArrayList<>();
            for (long off : neededOffsets) {
                needed.add(cString(strings, off));
            }
            return Optional.of(new ElfDynamic(interpreter, needed, paths(strings, rpathOffset),
                    paths(strings, runpathOffset)));
        }
    }

    private static List<String> paths(ByteBuffer strings, long offset) throws IOException {
        if (offset < 0) {
            return List.of();
        }
        return Arrays.stream(cString(strings, offset).split(":")).filter(s -> !s.isEmpty()).toList();
    }

    /** Where the loaded address lands in the file, through the PT_LOAD segment that holds it. */
    private static long fileOffset(Path file, List<long[]> loads, long vaddr) throws IOException {
        for (long[] load : loads) {
            if (vaddr >= load[0] && vaddr < load[0] + load[2]) {
                return vaddr - load[0] + load[1];
            }
        }
        throw new IOException(file + ": address 0x" + Long.toHexString(vaddr) + " is in no PT_LOAD segment");
    }

    private static ByteBuffer read(FileChannel ch, long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || length > MAX_SECTION_BYTES) {
            throw new IOException("implausible ELF range: offset " + offset + ", length " + length);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, offset + buf.position()) < 0) {
                break;
            }
        }
        return buf.flip();
    }

    private static String cString(ByteBuffer buf, long offset) throws IOException {
        if (offset < 0 || offset >= buf.limit()) {
            throw new IOException("string offset " + offset + " outside a table of " + buf.limit() + " bytes");
        }
        int end = (int) offset;
        while (end < buf.limit() && buf.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - (int) offset];
        buf.get((int) offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
