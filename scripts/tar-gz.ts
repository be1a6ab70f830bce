/**
 * A .tar.gz of one file, written by Node itself: the plugin's archive must
 * read the same from every release runner, and the `tar` first on a
 * Windows runner's PATH may be GNU tar (which takes `C:\...` for a remote
 * host) or bsdtar. Format: POSIX ustar, which the Pulumi CLI's Go
 * archive/tar reads; the mode travels in the header, so the executable
 * stays executable where it is unpacked.
 */
import * as zlib from "node:zlib";

const BLOCK = 512;

/** An octal field of `width` bytes: digits, zero-padded, then a NUL. */
function octal(value: number, width: number): string {
    const digits = value.toString(8);
    if (digits.length > width - 1) throw new Error(`tar: ${value} does not fit a ${width}-byte field`);
    return `${digits.padStart(width - 1, "0")}\0`;
}

/** The ustar header of a regular file. */
export function tarHeader(name: string, size: number, mode: number, mtime: number): Buffer {
    if (Buffer.byteLength(name) > 100) throw new Error(`tar: name ${name} is longer than 100 bytes`);
    const h = Buffer.alloc(BLOCK);
    h.write(name, 0, "utf8");
    h.write(octal(mode, 8), 100, "ascii");
    h.write(octal(0, 8), 108, "ascii"); // uid
    h.write(octal(0, 8), 116, "ascii"); // gid
    h.write(octal(size, 12), 124, "ascii");
    h.write(octal(mtime, 12), 136, "ascii");
    h.write("        ", 148, "ascii"); // the checksum counts its own field as spaces
    h.write("0", 156, "ascii"); // a regular file
    h.write("ustar\0", 257, "ascii");
    h.write("00", 263, "ascii");
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
    return h;
}

/** One file as a gzip-compressed tar archive. */
export function tarGzOneFile(name: string, content: Buffer, opts: { mode: number; mtime: Date }): Buffer {
    const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
    const tar = Buffer.concat([tarHeader(name, content.length, opts.mode, Math.floor(opts.mtime.getTime() / 1000)), content, Buffer.alloc(pad), Buffer.alloc(2 * BLOCK)]);
    return zlib.gzipSync(tar);
}
