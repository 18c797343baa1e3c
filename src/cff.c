/* cff.c - the CFF table reader (cff.h). Only what the PDF's CIDFontType0C objects need. */
#include "cff.h"

#include <string.h>

static unsigned u16(const unsigned char *p) {
    return (unsigned)p[0] << 8 | p[1];
}

/* An INDEX at off: count, offSize, offsets[count + 1] (1-based, relative to the byte before the
 * data), data. */
typedef struct {
    size_t off; /* where the INDEX starts */
    unsigned count;
    unsigned osize;
    size_t data; /* the byte before the first object's data: object i is at data + offset i */
    size_t end;  /* the first byte after the INDEX */
} cff_index;

static size_t index_offset(const hu_cff *c, const cff_index *x, unsigned i) {
    const unsigned char *p = c->data + x->off + 3 + (size_t)i * x->osize;
    size_t v = 0;
    for (unsigned k = 0; k < x->osize; k++)
        v = v << 8 | p[k];
    return v;
}

static bool read_index(const hu_cff *c, size_t off, cff_index *x) {
    memset(x, 0, sizeof *x);
    x->off = off;
    if (off > c->len || c->len - off < 2) return false;
    x->count = u16(c->data + off);
    if (x->count == 0) {
        x->end = off + 2;
        return true;
    }
    if (c->len - off < 3) return false;
    x->osize = c->data[off + 2];
    if (x->osize < 1 || x->osize > 4) return false;
    size_t table = 3 + ((size_t)x->count + 1) * x->osize;
    if (c->len - off < table) return false;
    x->data = off + table - 1;
    size_t last = index_offset(c, x, x->count);
    if (index_offset(c, x, 0) != 1 || last < 1 || last > c->len - x->data) return false;
    x->end = x->data + last;
    return true;
}

/* Object i of x as [*start, *end); false when its offsets are out of order. */
static bool index_object(const hu_cff *c, const cff_index *x, unsigned i, size_t *start,
                         size_t *end) {
    size_t a = index_offset(c, x, i), b = index_offset(c, x, i + 1);
    if (a < 1 || b < a || x->data + b > x->end) return false;
    *start = x->data + a;
    *end = x->data + b;
    return true;
}

/* The operators of a top DICT we use, with their operands. */
typedef struct {
    long charset, charstrings;
    long ros[3];
    bool has_ros;
} top_dict;

static bool parse_dict(const hu_cff *c, size_t p, size_t end, top_dict *t) {
    long opnd[48];
    int n = 0;
    while (p < end) {
        unsigned b = c->data[p++];
        if (b <= 21) { /* an operator */
            unsigned op = b;
            if (b == 12) {
                if (p >= end) return false;
                op = 1200 + c->data[p++];
            }
            if (op == 15 && n >= 1) t->charset = opnd[n - 1];
            if (op == 17 && n >= 1) t->charstrings = opnd[n - 1];
            if (op == 1230 && n >= 3) { /* ROS */
                t->ros[0] = opnd[n - 3], t->ros[1] = opnd[n - 2], t->ros[2] = opnd[n - 1];
                t->has_ros = true;
            }
            n = 0;
            continue;
        }
        long v;
        if (b >= 32 && b <= 246) {
            v = (long)b - 139;
        } else if (b >= 247 && b <= 254) {
            if (p >= end) return false;
            long hi = b <= 250 ? (long)b - 247 : (long)b - 251;
            long w = hi * 256 + c->data[p++] + 108;
            v = b <= 250 ? w : -w;
        } else if (b == 28) {
            if (end - p < 2) return false;
            v = (long)(int16_t)u16(c->data + p);
            p += 2;
        } else if (b == 29) {
            if (end - p < 4) return false;
            v = (long)(int32_t)((uint32_t)u16(c->data + p) << 16 | u16(c->data + p + 2));
            p += 4;
        } else if (b == 30) { /* a real: nibbles up to an 0xf; its value is never used here */
            bool done = false;
            while (p < end && !done) {
                unsigned x = c->data[p++];
                done = (x & 0xF) == 0xF || (x >> 4) == 0xF;
            }
            if (!done) return false;
            v = 0;
        } else {
            return false; /* 22-27, 31, 255: reserved */
        }
        if (n == (int)(sizeof opnd / sizeof *opnd)) return false;
        opnd[n++] = v;
    }
    return true;
}

/* The string of SID sid into out ("" for a standard string: no ROS uses one). */
static void sid_string(const hu_cff *c, const cff_index *strings, long sid, char *out, size_t cap) {
    out[0] = 0;
    if (sid < 391 || (unsigned long)(sid - 391) >= strings->count) return;
    size_t a, b;
    if (!index_object(c, strings, (unsigned)(sid - 391), &a, &b)) return;
    size_t n = b - a < cap - 1 ? b - a : cap - 1;
    memcpy(out, c->data + a, n);
    out[n] = 0;
}

static const char *cff_open(hu_cff *c, const void *data, size_t len) {
    memset(c, 0, sizeof *c);
    c->data = data;
    c->len = len;
    if (len < 4 || c->data[0] != 1) return len < 4 ? "表头不完整" : "版本不是 CFF 1";
    cff_index names, tops, strings;
    if (!read_index(c, c->data[2], &names) || names.count < 1) return "字体名索引损坏";
    if (!read_index(c, names.end, &tops) || tops.count < 1) return "顶层字典索引损坏";
    if (!read_index(c, tops.end, &strings)) return "字符串索引损坏";
    size_t a, b;
    top_dict t = {0, -1, {0, 0, 0}, false};
    if (!index_object(c, &tops, 0, &a, &b) || !parse_dict(c, a, b, &t)) return "顶层字典损坏";
    cff_index cs;
    if (t.charstrings <= 0 || (unsigned long)t.charstrings >= len ||
        !read_index(c, (size_t)t.charstrings, &cs) || cs.count == 0)
        return "字形索引（CharStrings）损坏";
    c->nglyphs = cs.count;
    if (t.charset < 0 || (unsigned long)t.charset >= len) return "字符集（charset）位置越界";
    c->charset = (size_t)t.charset;
    c->cid_keyed = t.has_ros;
    if (t.has_ros) {
        sid_string(c, &strings, t.ros[0], c->registry, sizeof c->registry);
        sid_string(c, &strings, t.ros[1], c->ordering, sizeof c->ordering);
        c->supplement = (int)t.ros[2];
    }
    return NULL;
}

bool hu_cff_open(hu_cff *c, const void *data, size_t len, const char **why) {
    const char *w = cff_open(c, data, len);
    if (why) *why = w;
    return !w;
}

bool hu_cff_cids(const hu_cff *c, uint16_t *cid) {
    if (!c->nglyphs) return true;
    cid[0] = 0; /* .notdef */
    if (!c->cid_keyed) {
        for (unsigned g = 1; g < c->nglyphs; g++)
            cid[g] = (uint16_t)g;
        return true;
    }
    if (c->charset <= 2) return false; /* predefined charsets name glyphs, not CIDs */
    size_t p = c->charset, len = c->len;
    const unsigned char *d = c->data;
    if (p >= len) return false;
    unsigned format = d[p++], g = 1;
    if (format == 0) {
        if ((len - p) / 2 < c->nglyphs - 1) return false;
        for (; g < c->nglyphs; g++, p += 2)
            cid[g] = (uint16_t)u16(d + p);
        return true;
    }
    if (format != 1 && format != 2) return false;
    size_t rec = format == 1 ? 3 : 4;
    while (g < c->nglyphs) {
        if (len - p < rec) return false;
        unsigned first = u16(d + p), left = format == 1 ? d[p + 2] : u16(d + p + 2);
        p += rec;
        for (unsigned k = 0; k <= left && g < c->nglyphs; k++, g++) {
            if (first + k > 0xFFFF) return false;
            cid[g] = (uint16_t)(first + k);
        }
    }
    return true;
}
