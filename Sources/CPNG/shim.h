#ifndef CPNG_SHIM_H
#define CPNG_SHIM_H

/*
 * libpng's simplified API (png_image, libpng 1.6), which reports errors through the image
 * structure instead of longjmp, so it is safe to call from Swift. Every symbol defined here
 * is prefixed cpng_.
 */

#include <stddef.h>
#include <string.h>
#include <png.h>

/* Encodes 8-bit grey pixels, row by row, as a PNG into `out` (capacity *size bytes). With
   out == NULL, sets *size to the bytes needed. Returns 1 on success, 0 on failure. */
static inline int cpng_write_gray(const unsigned char *pixels, unsigned width, unsigned height,
                                  void *out, size_t *size)
{
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_GRAY;
    int ok = png_image_write_to_memory(&image, out, size, 0, pixels, 0, NULL);
    png_image_free(&image);
    return ok;
}

#endif
