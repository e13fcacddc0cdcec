/*
 * W2-png (400 px wide, PNG out) written straight against libvips' C API: the same calls sharp's pipeline
 * makes for it (premultiply and cast back when there is alpha, resize by 400/width, unpremultiply, cast,
 * pngsave at sharp's defaults), with no binding of any kind in between. bench/floor.sh runs it beside the
 * engine and sharp: it is the floor any binding of this library could reach on this workload.
 * Usage: w2-png <image.png> <warmup> <runs>; prints c_ms=<median ms> bytes=<output size>
 * The prototypes are declared here (the npm build of libvips ships no headers); they match vips 8.18.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct _VipsImage VipsImage;
int vips_init(const char *argv0);
void vips_cache_set_max(int max);
void vips_concurrency_set(int concurrency);
VipsImage *vips_image_new_from_buffer(const void *buf, size_t len, const char *option_string, ...);
int vips_image_get_width(const VipsImage *image);
int vips_image_hasalpha(VipsImage *image);
int vips_premultiply(VipsImage *in, VipsImage **out, ...);
int vips_unpremultiply(VipsImage *in, VipsImage **out, ...);
int vips_cast(VipsImage *in, VipsImage **out, int format, ...);
int vips_resize(VipsImage *in, VipsImage **out, double scale, ...);
int vips_pngsave_buffer(VipsImage *in, void **buf, size_t *len, ...);
void g_object_unref(void *object);
void g_free(void *mem);

#define VIPS_FORMAT_UCHAR 0
#define VIPS_FOREIGN_PNG_FILTER_NONE 0x08

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static void fail(const char *what) {
    fprintf(stderr, "w2-png: %s failed\n", what);
    exit(1);
}

/* One render, buffer to buffer; returns the output size. */
static size_t render(const char *src, size_t size) {
    VipsImage *in = vips_image_new_from_buffer(src, size, "access=sequential,fail_on=warning", NULL);
    if (!in) fail("load");
    VipsImage *img = in, *tmp, *next;
    int alpha = vips_image_hasalpha(in);
    if (alpha) {
        if (vips_premultiply(img, &tmp, NULL) || vips_cast(tmp, &next, VIPS_FORMAT_UCHAR, NULL)) fail("premultiply");
        g_object_unref(tmp);
        img = next;
    }
    if (vips_resize(img, &next, 400.0 / vips_image_get_width(in), NULL)) fail("resize");
    if (img != in) g_object_unref(img);
    img = next;
    if (alpha) {
        if (vips_unpremultiply(img, &tmp, NULL) || vips_cast(tmp, &next, VIPS_FORMAT_UCHAR, NULL)) fail("unpremultiply");
        g_object_unref(tmp);
        g_object_unref(img);
        img = next;
    }
    void *out;
    size_t len;
    if (vips_pngsave_buffer(img, &out, &len, "compression", 6, "filter", VIPS_FOREIGN_PNG_FILTER_NONE, "keep", 0, NULL))
        fail("pngsave");
    g_free(out);
    g_object_unref(img);
    g_object_unref(in);
    return len;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: w2-png <image.png> <warmup> <runs>\n");
        return 2;
    }
    if (vips_init(argv[0])) fail("vips_init");
    vips_cache_set_max(0);   /* as sharp.cache(false) */
    vips_concurrency_set(1); /* as sharp.concurrency(1) and VIPS_CONCURRENCY=1 */
    FILE *f = fopen(argv[1], "rb");
    if (!f) fail("open");
    fseek(f, 0, SEEK_END);
    size_t size = (size_t) ftell(f);
    rewind(f);
    char *src = malloc(size);
    if (fread(src, 1, size, f) != size) fail("read");
    fclose(f);
    int warmup = atoi(argv[2]), runs = atoi(argv[3]);
    double *ms = malloc(sizeof(double) * runs);
    size_t bytes = 0;
    for (int i = 0; i < warmup + runs; i++) {
        double t0 = now_ms();
        bytes = render(src, size);
        if (i >= warmup) ms[i - warmup] = now_ms() - t0;
    }
    qsort(ms, runs, sizeof(double), by_value);
    printf("c_ms=%.1f bytes=%zu\n", ms[runs / 2], bytes);
    return 0;
}
