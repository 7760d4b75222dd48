#ifndef TOURNIQUET_CZLIB_SHIM_H
#define TOURNIQUET_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro; 15 + 32 lets zlib detect gzip or zlib headers itself. */
static inline int tq_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 32);
}
#endif
