#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

/*
 * zlib, for gzip-compressing static files once when they are loaded. deflateInit2 is a
 * macro, which Swift cannot call: czlib_gzip wraps the whole one-shot compression, so no
 * z_stream ever reaches Swift. Every symbol defined here is prefixed czlib_.
 */

#include <stddef.h>
#include <string.h>
#include <zlib.h>

/* An upper bound of the gzip size of `length` bytes (deflateBound plus the gzip wrapper). */
static inline size_t czlib_gzip_bound(size_t length) {
    return (size_t)compressBound((uLong)length) + 32;
}

/* Compresses `input` as one gzip member at the best level into `out` (capacity *size);
   sets *size to the bytes written. Returns 1 on success, 0 on failure. */
static inline int czlib_gzip(const unsigned char *input, size_t length, unsigned char *out, size_t *size) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    /* 15 window bits + 16: a gzip header and trailer instead of zlib's. */
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)length;
    stream.next_out = out;
    stream.avail_out = (uInt)*size;
    int status = deflate(&stream, Z_FINISH);
    *size = (size_t)stream.total_out;
    deflateEnd(&stream);
    return status == Z_STREAM_END ? 1 : 0;
}

#endif
