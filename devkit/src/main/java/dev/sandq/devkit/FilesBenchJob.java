package dev.sandq.devkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.executor.Language;
import java.util.Base64;
import java.util.Random;

/**
 * The job of `sandq bench --files` (issue 15's cost line): 10 input files of 10 KB, read by the
 * job, and one PNG of about 200 KB written to its output directory and returned. Python's is a
 * real PNG (random RGBA pixels, barely compressible, made with zlib); Node's is the PNG signature
 * and 200 KB of random bytes (Node 20 has no crc32 to write real chunks): the cost measured is the
 * files' way in and out, not the drawing.
 */
final class FilesBenchJob {
    static final int INPUT_FILES = 10;
    static final int INPUT_BYTES = 10 * 1024;
    static final int OUTPUT_BYTES = 200 * 1024;

    private static final String PYTHON = """
            import os, struct, zlib
            for i in range(10):
                with open('in/f%d.bin' % i, 'rb') as f:
                    f.read()
            w, h = 256, 200
            raw = b''.join(b'\\x00' + os.urandom(w * 4) for _ in range(h))
            def chunk(t, d):
                return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
            png = (b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
                   + chunk(b'IDAT', zlib.compress(raw, 1)) + chunk(b'IEND', b''))
            with open(os.environ['SANDQ_OUTPUT_DIR'] + '/out.png', 'wb') as f:
                f.write(png)
            """;

    private static final String NODE = """
            const fs = require('fs');
            const crypto = require('crypto');
            for (let i = 0; i < 10; i++) fs.readFileSync(`in/f${i}.bin`);
            const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
              crypto.randomBytes(200 * 1024)]);
            fs.writeFileSync(process.env.SANDQ_OUTPUT_DIR + '/out.png', png);
            """;

    private FilesBenchJob() {
    }

    /** The job's JSON document, its input files random (fixed seed: every run sends the same bytes). */
    static byte[] body(ObjectMapper mapper, Language language) throws com.fasterxml.jackson.core.JsonProcessingException {
        ObjectNode job = mapper.createObjectNode();
        job.put("language", language.wireName());
        job.put("code", language == Language.PYTHON3 ? PYTHON : NODE);
        ArrayNode files = job.putArray("files");
        Random random = new Random(15);
        for (int i = 0; i < INPUT_FILES; i++) {
            byte[] content = new byte[INPUT_BYTES];
            random.nextBytes(content);
            files.addObject().put("path", "in/f" + i + ".bin").put("encoding", "base64")
                    .put("content", Base64.getEncoder().encodeToString(content));
        }
        return mapper.writeValueAsBytes(job);
    }

    /** How the line names the job. */
    static String label() {
        return INPUT_FILES + " input files of " + INPUT_BYTES / 1024 + " KB in, a " + OUTPUT_BYTES / 1024
                + " KB PNG out";
    }
}
