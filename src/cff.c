/* cff.c - the CFF table reader (cff.h). Only what the PDF's CIDFontType0C objects need. */
#include "cff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

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

/* ---------------------------------------------------------------- the writer (cff.h) */

/* One DICT operator: its code (12 x as 1200 + x), where its operands start and where the
 * operator ends, and the operands' values. */
typedef struct {
    unsigned op;
    size_t start, end;
    double v[48];
    int n;
} dict_op;

/* A real operand's nibbles from p (PostScript number syntax, Technical Note #5176 table 5). */
static bool dict_real(const unsigned char *d, size_t *pp, size_t end, double *out) {
    double mant = 0, scale = 1;
    int exp = 0, esign = 1;
    bool neg = false, frac = false, in_exp = false;
    for (size_t p = *pp; p < end; p++) {
        for (int half = 0; half < 2; half++) {
            unsigned x = half ? d[p] & 15 : d[p] >> 4;
            if (x <= 9) {
                if (in_exp)
                    exp = exp < 1000 ? exp * 10 + (int)x : exp; /* past 10^40 anyway */
                else if (frac)
                    scale /= 10, mant += x * scale;
                else
                    mant = mant * 10 + x;
            } else if (x == 0xA) {
                frac = true;
            } else if (x == 0xB || x == 0xC) {
                in_exp = true, esign = x == 0xC ? -1 : 1;
            } else if (x == 0xE) {
                neg = true;
            } else if (x == 0xF) {
                double v = mant;
                for (int k = 0; k < exp && k < 40; k++)
                    v = esign > 0 ? v * 10 : v / 10;
                *out = neg ? -v : v;
                *pp = p + 1;
                return true;
            } else {
                return false;
            }
        }
    }
    return false;
}

/* An operand as an offset or count: out of range (a damaged real) as -1, which every caller
 * refuses (a double out of long's range must not be converted). */
static long dict_long(double v) {
    return v >= -2147483648.0 && v <= 2147483647.0 ? (long)v : -1;
}

/* The next operator of the DICT d[*pp..end) into o; false at its end or when it is damaged. */
static bool dict_next(const unsigned char *d, size_t *pp, size_t end, dict_op *o, bool *bad) {
    size_t p = *pp;
    o->start = p;
    o->n = 0;
    *bad = false;
    if (p >= end) return false;
    while (p < end) {
        unsigned b = d[p++];
        if (b <= 21) {
            o->op = b;
            if (b == 12) {
                if (p >= end) break;
                o->op = 1200 + d[p++];
            }
            o->end = p;
            *pp = p;
            return true;
        }
        double v;
        if (b >= 32 && b <= 246) {
            v = (double)b - 139;
        } else if (b >= 247 && b <= 254) {
            if (p >= end) break;
            double w = (double)((b <= 250 ? b - 247 : b - 251) * 256 + d[p++] + 108);
            v = b <= 250 ? w : -w;
        } else if (b == 28) {
            if (end - p < 2) break;
            v = (int16_t)u16(d + p);
            p += 2;
        } else if (b == 29) {
            if (end - p < 4) break;
            v = (int32_t)((uint32_t)u16(d + p) << 16 | u16(d + p + 2));
            p += 4;
        } else if (b == 30) {
            if (!dict_real(d, &p, end, &v)) break;
        } else {
            break;
        }
        if (o->n == 48) break;
        o->v[o->n++] = v;
    }
    *bad = true;
    return false;
}

/* An operand as a 5-byte integer: its size does not depend on its value, so offsets can be
 * filled in after the layout is known. */
static void put_int5(hu_buf *b, long v) {
    unsigned char q[5] = {29, (unsigned char)((unsigned long)v >> 24),
                          (unsigned char)((unsigned long)v >> 16),
                          (unsigned char)((unsigned long)v >> 8), (unsigned char)v};
    hu_buf_put(b, q, 5);
}

static void put_op(hu_buf *b, unsigned op) {
    if (op >= 1200) hu_buf_putc(b, 12), op -= 1200;
    hu_buf_putc(b, (char)op);
}

static void put_u16(hu_buf *b, unsigned v) {
    hu_buf_putc(b, (char)(v >> 8 & 0xFF));
    hu_buf_putc(b, (char)(v & 0xFF));
}

/* An INDEX of n objects, object i being obj[i] of len[i] bytes. */
static void put_index(hu_buf *b, unsigned n, const unsigned char *const *obj, const size_t *len) {
    put_u16(b, n);
    if (!n) return;
    size_t total = 1;
    for (unsigned i = 0; i < n; i++)
        total += len[i];
    unsigned osize = total <= 0xFF ? 1 : total <= 0xFFFF ? 2 : total <= 0xFFFFFF ? 3 : 4;
    hu_buf_putc(b, (char)osize);
    hu_buf_grow(b, ((size_t)n + 1) * osize + total);
    unsigned char *q = (unsigned char *)b->data + b->len;
    size_t off = 1;
    for (unsigned i = 0; i <= n; i++) {
        for (unsigned k = osize; k-- > 0;)
            *q++ = (unsigned char)(off >> (8 * k) & 0xFF);
        if (i < n) off += len[i];
    }
    for (unsigned i = 0; i < n; i++)
        if (len[i]) memcpy(q, obj[i], len[i]), q += len[i];
    b->len = (size_t)(q - (unsigned char *)b->data);
    b->data[b->len] = 0;
}

/* ---- flattening a charstring (Type 2, Technical Note #5177) ---- */

typedef struct {
    const hu_cff *c;
    const cff_index *gsubrs, *lsubrs;
    int32_t st[48]; /* the argument stack, 16.16 fixed */
    int n;
    int nstems;
    bool cleared; /* the first stack-clearing operator was seen (it carries the width) */
    bool moved;   /* the first moveto was written */
    int32_t dx;   /* 16.16 */
    bool width;   /* write wval before the first operator */
    int32_t wval;
    hu_buf *out;
} flat;

static unsigned subr_bias(unsigned count) {
    return count < 1240 ? 107 : count < 33900 ? 1131 : 32768;
}

static void put_num(hu_buf *b, int32_t f) {
    if ((f & 0xFFFF) == 0) {
        int v = (int)(f / 65536);
        if (v >= -107 && v <= 107) {
            hu_buf_putc(b, (char)(v + 139));
        } else if (v >= 108 && v <= 1131) {
            v -= 108;
            hu_buf_putc(b, (char)(247 + (v >> 8))), hu_buf_putc(b, (char)(v & 0xFF));
        } else if (v >= -1131 && v <= -108) {
            v = -v - 108;
            hu_buf_putc(b, (char)(251 + (v >> 8))), hu_buf_putc(b, (char)(v & 0xFF));
        } else {
            hu_buf_putc(b, 28), put_u16(b, (unsigned)v & 0xFFFF);
        }
        return;
    }
    hu_buf_putc(b, (char)255);
    put_u16(b, (uint32_t)f >> 16), put_u16(b, (uint32_t)f & 0xFFFF);
}

/* The stack and op written (the width first, before the first operator written). */
static void flat_emit(flat *f, unsigned op) {
    if (f->width) put_num(f->out, f->wval), f->width = false;
    for (int i = 0; i < f->n; i++)
        put_num(f->out, f->st[i]);
    put_op(f->out, op);
    f->n = 0;
}

/* At the first stack-clearing operator, an argument more than it takes is the width: dropped
 * (the copy's own is written instead). */
static void flat_clear(flat *f, bool extra) {
    if (f->cleared) return;
    f->cleared = true;
    if (extra) memmove(f->st, f->st + 1, (size_t)--f->n * sizeof *f->st);
}

/* Runs charstring p[0..len); 1 at endchar, 0 at return (or its end), -1 on what the copy
 * cannot take. */
static int flat_run(flat *f, const unsigned char *p, size_t len, int depth) {
    size_t i = 0;
    while (i < len) {
        unsigned b = p[i++];
        if (b >= 32 || b == 28) {
            int32_t v;
            if (b <= 246 && b != 28) {
                v = ((int32_t)b - 139) * 65536;
            } else if (b >= 247 && b <= 254) {
                if (i >= len) return -1;
                int32_t w = (int32_t)(((b <= 250 ? b - 247 : b - 251) << 8) + p[i++] + 108);
                v = (b <= 250 ? w : -w) * 65536;
            } else if (b == 28) {
                if (len - i < 2) return -1;
                v = (int32_t)(int16_t)u16(p + i) * 65536;
                i += 2;
            } else {
                if (len - i < 4) return -1;
                v = (int32_t)((uint32_t)u16(p + i) << 16 | u16(p + i + 2));
                i += 4;
            }
            if (f->n == 48) return -1;
            f->st[f->n++] = v;
            continue;
        }
        unsigned op = b;
        if (b == 12) {
            if (i >= len) return -1;
            op = 1200 + p[i++];
        }
        switch (op) {
        case 1:
        case 3:
        case 18:
        case 23: /* hstem vstem hstemhm vstemhm: dropped */
            flat_clear(f, f->n % 2);
            f->nstems += f->n / 2;
            f->n = 0;
            break;
        case 19:
        case 20: /* hintmask cntrmask (after implied vstems): dropped with the mask */
            flat_clear(f, f->n % 2);
            f->nstems += f->n / 2;
            f->n = 0;
            if ((size_t)(f->nstems + 7) / 8 > len - i) return -1;
            i += (size_t)(f->nstems + 7) / 8;
            break;
        case 21:
        case 22:
        case 4: { /* rmoveto hmoveto vmoveto */
            int need = op == 21 ? 2 : 1;
            flat_clear(f, f->n > need);
            if (f->n != need) return -1;
            if (!f->moved) { /* the outline's start, relative to the origin: moved by dx */
                f->moved = true;
                if (op == 4 && f->dx) {
                    f->st[1] = f->st[0], f->st[0] = 0, f->n = 2, op = 21;
                }
                if (op != 4) {
                    int64_t x = (int64_t)f->st[0] + f->dx;
                    if (x < INT32_MIN || x > INT32_MAX) return -1;
                    f->st[0] = (int32_t)x;
                }
            }
            flat_emit(f, op);
            break;
        }
        case 14: /* endchar; four more arguments would be seac's accent */
            flat_clear(f, f->n == 1 || f->n == 5);
            if (f->n) return -1;
            flat_emit(f, 14);
            return 1;
        case 10:
        case 29: { /* callsubr callgsubr: inlined */
            const cff_index *x = op == 10 ? f->lsubrs : f->gsubrs;
            if (!f->n || !x || !x->count || depth >= 10 || (f->st[f->n - 1] & 0xFFFF)) return -1;
            long k = (long)(f->st[--f->n] / 65536) + (long)subr_bias(x->count);
            size_t a, e;
            if (k < 0 || k >= (long)x->count || !index_object(f->c, x, (unsigned)k, &a, &e))
                return -1;
            int r = flat_run(f, f->c->data + a, e - a, depth + 1);
            if (r != 0) return r;
            break;
        }
        case 11: /* return */
            return depth ? 0 : -1;
        case 5:
        case 6:
        case 7:
        case 8:
        case 24:
        case 25:
        case 26:
        case 27:
        case 30:
        case 31:
        case 1234:
        case 1235:
        case 1236:
        case 1237: /* the path: as it is */
            if (!f->moved) return -1;
            flat_emit(f, op);
            break;
        default: /* arithmetic, storage, reserved */
            return -1;
        }
    }
    return depth ? 0 : -1;
}

/* ---- the table ---- */

/* A Private DICT and the local subroutines after it. */
typedef struct {
    size_t a, b;      /* the DICT's bytes */
    long subrs;       /* Subrs, from a; -1 when none */
    cff_index lsubrs; /* its INDEX */
    double nominal, deflt;
} priv_dict;

typedef struct {
    const hu_cff *c;
    const unsigned char *d;
    cff_index names, tops, strings, gsubrs, cs, fdarray;
    size_t top_a, top_b;
    long charset, encoding, charstrings, fdselect, fdarr, cidcount;
    long priv[2];
    bool cid_keyed, has_fdarray, has_priv;
    unsigned nfd;
    priv_dict *pd; /* nfd of them (CID-keyed), else one */
    uint8_t *fd;   /* per glyph, CID-keyed */
    unsigned fdsel_format;
    unsigned charset_format;
    size_t enc_len;
} cff_w;

static bool read_private(cff_w *w, long size, long off, priv_dict *p) {
    const hu_cff *c = w->c;
    if (size < 0 || off < 0 || (unsigned long)off > c->len || (unsigned long)size > c->len - off)
        return false;
    p->a = (size_t)off, p->b = (size_t)(off + size);
    p->subrs = -1, p->nominal = 0, p->deflt = 0;
    size_t q = p->a;
    dict_op o;
    bool bad;
    while (dict_next(c->data, &q, p->b, &o, &bad)) {
        if (o.op == 19 && o.n) p->subrs = dict_long(o.v[o.n - 1]);
        if (o.op == 20 && o.n) p->deflt = o.v[o.n - 1];
        if (o.op == 21 && o.n) p->nominal = o.v[o.n - 1];
    }
    if (bad) return false;
    memset(&p->lsubrs, 0, sizeof p->lsubrs);
    if (p->subrs >= 0) {
        if ((unsigned long)p->subrs > c->len - p->a ||
            !read_index(c, p->a + (size_t)p->subrs, &p->lsubrs))
            return false;
    }
    return true;
}

/* The charset's SIDs or CIDs into v[0..nglyphs) (v[0] = 0 for .notdef), its format. */
static bool charset_read(const cff_w *w, uint16_t *v, unsigned *format) {
    const hu_cff *c = w->c;
    unsigned ng = c->nglyphs;
    v[0] = 0;
    if (w->charset == 0 && !w->cid_keyed) { /* ISOAdobe: SID = glyph id */
        if (ng > 229) return false;
        for (unsigned g = 1; g < ng; g++)
            v[g] = (uint16_t)g;
        *format = 0;
        return true;
    }
    if (w->charset <= 2) return false;
    size_t p = (size_t)w->charset;
    if (p >= c->len) return false;
    *format = c->data[p];
    if (!w->cid_keyed) { /* the same records as a CID-keyed charset's */
        hu_cff tmp = *c;
        tmp.cid_keyed = true;
        tmp.charset = p;
        return hu_cff_cids(&tmp, v);
    }
    return hu_cff_cids(c, v);
}

/* v[1..n) as a charset of format (0, 1 or 2). */
static void charset_write(hu_buf *b, const uint16_t *v, unsigned n, unsigned format) {
    hu_buf_putc(b, (char)format);
    if (format == 0) {
        for (unsigned g = 1; g < n; g++)
            put_u16(b, v[g]);
        return;
    }
    unsigned max_left = format == 1 ? 255 : 65535;
    for (unsigned g = 1; g < n;) {
        unsigned k = 1;
        while (g + k < n && v[g + k] == v[g] + k && k <= max_left)
            k++;
        put_u16(b, v[g]);
        if (format == 1)
            hu_buf_putc(b, (char)(k - 1));
        else
            put_u16(b, k - 1);
        g += k;
    }
}

static bool fdselect_read(cff_w *w) {
    const hu_cff *c = w->c;
    unsigned ng = c->nglyphs;
    size_t p = (size_t)w->fdselect;
    if (w->fdselect <= 0 || p >= c->len) return false;
    w->fdsel_format = c->data[p++];
    if (w->fdsel_format == 0) {
        if (c->len - p < ng) return false;
        memcpy(w->fd, c->data + p, ng);
    } else if (w->fdsel_format == 3) {
        if (c->len - p < 2) return false;
        unsigned nr = u16(c->data + p);
        p += 2;
        if ((c->len - p) / 3 < (size_t)nr + 1 || !nr) return false;
        for (unsigned r = 0; r < nr; r++) {
            unsigned first = u16(c->data + p + 3 * r), fd = c->data[p + 3 * r + 2];
            unsigned next = u16(c->data + p + 3 * r + 3);
            if (next > ng || first > next || (r == 0 && first)) return false;
            for (unsigned g = first; g < next; g++)
                w->fd[g] = (uint8_t)fd;
        }
        if (u16(c->data + p + 3 * nr) != ng) return false;
    } else {
        return false;
    }
    for (unsigned g = 0; g < ng; g++)
        if (w->fd[g] >= w->nfd) return false;
    return true;
}

static void fdselect_write(hu_buf *b, const uint8_t *fd, unsigned n, unsigned format) {
    hu_buf_putc(b, (char)format);
    if (format == 0) {
        hu_buf_put(b, fd, n);
        return;
    }
    unsigned nr = 0;
    for (unsigned g = 0; g < n; g++)
        nr += !g || fd[g] != fd[g - 1];
    put_u16(b, nr);
    for (unsigned g = 0; g < n; g++)
        if (!g || fd[g] != fd[g - 1]) put_u16(b, g), hu_buf_putc(b, (char)fd[g]);
    put_u16(b, n);
}

/* The length of a custom Encoding at off (format 0 or 1, with supplements). */
static bool encoding_len(const hu_cff *c, size_t off, size_t *len) {
    if (off >= c->len) return false;
    unsigned fmt = c->data[off];
    size_t p = off + 1;
    if (p >= c->len) return false;
    unsigned k = c->data[p++];
    if ((fmt & 0x7F) == 0)
        p += k;
    else if ((fmt & 0x7F) == 1)
        p += 2 * (size_t)k;
    else
        return false;
    if (fmt & 0x80) {
        if (p >= c->len) return false;
        p += 1 + 3 * (size_t)c->data[p];
    }
    if (p > c->len) return false;
    *len = p - off;
    return true;
}

/* The offsets of the sections written after the global subroutines. */
typedef struct {
    long charset, fdselect, charstrings, fdarray, encoding;
    long *priv; /* per Private DICT */
} cff_layout;

/* The top DICT copied with its offsets (and CIDCount) rewritten as 5-byte integers. */
static void top_dict_write(const cff_w *w, hu_buf *b, const cff_layout *l, long cidcount,
                           long priv_size) {
    size_t q = w->top_a;
    dict_op o;
    bool bad, wrote_cidcount = false;
    while (dict_next(w->d, &q, w->top_b, &o, &bad)) {
        switch (o.op) {
        case 15:
            put_int5(b, l->charset);
            break;
        case 17:
            put_int5(b, l->charstrings);
            break;
        case 1236:
            put_int5(b, l->fdarray);
            break;
        case 1237:
            put_int5(b, l->fdselect);
            break;
        case 1234:
            put_int5(b, cidcount), wrote_cidcount = true;
            break;
        case 18:
            put_int5(b, priv_size), put_int5(b, l->priv[0]);
            break;
        case 16:
            if (w->encoding > 1) {
                put_int5(b, l->encoding);
                break;
            }
            hu_buf_put(b, w->d + o.start, o.end - o.start); /* a predefined encoding */
            continue;
        default:
            hu_buf_put(b, w->d + o.start, o.end - o.start);
            continue;
        }
        put_op(b, o.op);
    }
    if (w->cid_keyed && !wrote_cidcount) put_int5(b, cidcount), put_op(b, 1234);
}

/* A Private DICT rewritten into b (emptied first): Subrs, when it has some, at its end as a
 * 5-byte integer pointing right after the DICT, where the caller puts the INDEX. */
static void private_write(const cff_w *w, hu_buf *b, const priv_dict *p) {
    b->len = 0;
    size_t q = p->a;
    dict_op o;
    bool bad;
    while (dict_next(w->d, &q, p->b, &o, &bad))
        if (o.op != 19) hu_buf_put(b, w->d + o.start, o.end - o.start);
    if (p->subrs >= 0) put_int5(b, (long)b->len + 6), put_op(b, 19);
}

/* A Font DICT of the FDArray with its Private's size and offset rewritten. */
static void font_dict_write(const cff_w *w, hu_buf *b, size_t a, size_t e, long size, long off) {
    dict_op o;
    bool bad;
    while (dict_next(w->d, &a, e, &o, &bad)) {
        if (o.op != 18) {
            hu_buf_put(b, w->d + o.start, o.end - o.start);
            continue;
        }
        put_int5(b, size), put_int5(b, off), put_op(b, 18);
    }
}

static bool cff_append(cff_w *w, const hu_cff_glyph *g, unsigned n, hu_buf *out, unsigned *code) {
    const hu_cff *c = w->c;
    const unsigned char *d = c->data;
    unsigned ng = c->nglyphs, total = ng + n;
    if (!c->nglyphs || total > 0xFFFF || d[2] < 4 || d[2] > c->len) return false;
    /* the INDEXes before the charset and the top DICT */
    if (!read_index(c, d[2], &w->names) || w->names.count != 1 ||
        !read_index(c, w->names.end, &w->tops) || w->tops.count != 1 ||
        !read_index(c, w->tops.end, &w->strings) || !read_index(c, w->strings.end, &w->gsubrs) ||
        !index_object(c, &w->tops, 0, &w->top_a, &w->top_b))
        return false;
    w->charset = 0, w->encoding = 0, w->charstrings = -1, w->fdselect = -1, w->fdarr = -1;
    w->cidcount = 8720, w->priv[0] = w->priv[1] = -1;
    size_t q = w->top_a;
    dict_op o;
    bool bad;
    while (dict_next(d, &q, w->top_b, &o, &bad)) {
        long v = o.n ? dict_long(o.v[o.n - 1]) : -1;
        switch (o.op) {
        case 15:
            w->charset = v;
            break;
        case 16:
            w->encoding = v;
            break;
        case 17:
            w->charstrings = v;
            break;
        case 1230:
            w->cid_keyed = true;
            break;
        case 1234:
            w->cidcount = v;
            break;
        case 1236:
            w->fdarr = v, w->has_fdarray = true;
            break;
        case 1237:
            w->fdselect = v;
            break;
        case 18:
            if (o.n != 2) return false;
            w->priv[0] = dict_long(o.v[0]), w->priv[1] = dict_long(o.v[1]), w->has_priv = true;
            break;
        case 1206: /* CharstringType: 2 only */
            if (v != 2) return false;
            break;
        case 1220: /* SyntheticBase */
            return false;
        }
    }
    if (bad || w->cid_keyed != c->cid_keyed || w->charstrings <= 0 ||
        (unsigned long)w->charstrings >= c->len || !read_index(c, (size_t)w->charstrings, &w->cs) ||
        w->cs.count != ng)
        return false;
    if (w->encoding > 1 && !encoding_len(c, (size_t)w->encoding, &w->enc_len)) return false;
    /* the Private DICTs: one per Font DICT of the FDArray, or the top DICT's */
    if (w->cid_keyed) {
        if (!w->has_fdarray || w->has_priv || w->fdarr <= 0 || (unsigned long)w->fdarr >= c->len ||
            !read_index(c, (size_t)w->fdarr, &w->fdarray) || !w->fdarray.count ||
            w->fdarray.count > 255)
            return false;
        w->nfd = w->fdarray.count;
    } else {
        if (!w->has_priv || w->has_fdarray) return false;
        w->nfd = 1;
    }
    w->pd = calloc(w->nfd, sizeof *w->pd);
    w->fd = calloc(total, 1);
    uint16_t *cs = calloc(total, sizeof *cs); /* charset: CIDs or SIDs */
    if (!w->pd || !w->fd || !cs) {
        free(cs);
        return false;
    }
    bool ok = false;
    hu_buf *cstr = NULL, *pbuf = NULL;
    const unsigned char **obj = NULL;
    size_t *olen = NULL;
    long *priv_off = NULL;
    char name[32];
    hu_buf names = HU_BUF_INIT;
    for (unsigned i = 0; i < w->nfd; i++) {
        if (w->cid_keyed) {
            size_t a, e;
            if (!index_object(c, &w->fdarray, i, &a, &e)) goto done;
            long ps = -1, po = -1;
            while (dict_next(d, &a, e, &o, &bad))
                if (o.op == 18 && o.n == 2) ps = dict_long(o.v[0]), po = dict_long(o.v[1]);
            if (bad || !read_private(w, ps, po, &w->pd[i])) goto done;
        } else if (!read_private(w, w->priv[0], w->priv[1], &w->pd[0])) {
            goto done;
        }
    }
    if (w->cid_keyed && !fdselect_read(w)) goto done;
    if (!charset_read(w, cs, &w->charset_format)) goto done;

    /* the new glyphs' CIDs (past the largest, else the lowest free ones) or names */
    if (w->cid_keyed) {
        uint8_t *used = calloc(65536 / 8, 1);
        if (!used) goto done;
        unsigned max = 0;
        for (unsigned k = 0; k < ng; k++)
            used[cs[k] >> 3] |= (uint8_t)(1u << (cs[k] & 7)), max = cs[k] > max ? cs[k] : max;
        unsigned next = max + 1, low = 1;
        for (unsigned j = 0; j < n; j++) {
            unsigned cid = next;
            if (next <= 0xFFFF) {
                next++;
            } else {
                while (low <= 0xFFFF && used[low >> 3] & (1u << (low & 7)))
                    low++;
                cid = low;
            }
            if (cid > 0xFFFF) {
                free(used);
                goto done;
            }
            used[cid >> 3] |= (uint8_t)(1u << (cid & 7));
            cs[ng + j] = (uint16_t)cid;
            code[j] = cid;
        }
        free(used);
    } else {
        if (391 + w->strings.count + n > 0xFFFF) goto done;
        for (unsigned j = 0; j < n; j++) {
            cs[ng + j] = (uint16_t)(391 + w->strings.count + j);
            code[j] = ng + j;
        }
    }
    long cidcount = w->cidcount;
    for (unsigned k = 0; w->cid_keyed && k < total; k++)
        if (cs[k] >= cidcount) cidcount = cs[k] + 1;

    /* the new charstrings */
    cstr = calloc(n ? n : 1, sizeof *cstr);
    if (!cstr) goto done;
    for (unsigned j = 0; j < n; j++) {
        if (g[j].gid >= ng || g[j].dx < -32767 || g[j].dx > 32767) goto done;
        unsigned fdi = w->cid_keyed ? w->fd[g[j].gid] : 0;
        const priv_dict *p = &w->pd[fdi];
        flat f;
        memset(&f, 0, sizeof f);
        f.c = c;
        f.gsubrs = &w->gsubrs;
        f.lsubrs = p->subrs >= 0 ? &p->lsubrs : NULL;
        f.dx = g[j].dx * 65536;
        f.out = &cstr[j];
        if (g[j].advance != p->deflt) {
            double wv = (g[j].advance - p->nominal) * 65536.0;
            if (wv < -2147483648.0 || wv > 2147483647.0) goto done;
            f.width = true, f.wval = (int32_t)(wv < 0 ? wv - 0.5 : wv + 0.5);
        }
        size_t a, e;
        if (!index_object(c, &w->cs, g[j].gid, &a, &e) || flat_run(&f, d + a, e - a, 0) != 1)
            goto done;
        if (w->cid_keyed) w->fd[ng + j] = (uint8_t)fdi;
    }

    /* the Private DICTs rewritten (their sizes no longer change) */
    pbuf = calloc(w->nfd, sizeof *pbuf);
    priv_off = calloc(w->nfd, sizeof *priv_off);
    obj = calloc(total + 1 + w->strings.count + n, sizeof *obj);
    olen = calloc(total + 1 + w->strings.count + n, sizeof *olen);
    if (!pbuf || !priv_off || !obj || !olen) goto done;
    for (unsigned i = 0; i < w->nfd; i++)
        private_write(w, &pbuf[i], &w->pd[i]);
    if (!w->cid_keyed)
        for (unsigned j = 0; j < n; j++) {
            int k = snprintf(name, sizeof name, "g%u.hu%u", g[j].gid, j);
            hu_buf_put(&names, name, (size_t)k);
        }

    /* two passes: the first lays the sections out, the second writes their offsets (each
     * written as a 5-byte integer, the sizes are the same in both) */
    cff_layout l = {0, 0, 0, 0, 0, priv_off};
    for (int pass = 0; pass < 2; pass++) {
        out->len = 0;
        hu_buf_put(out, d, d[2]); /* header */
        hu_buf_put(out, d + w->names.off, w->names.end - w->names.off);
        hu_buf top = HU_BUF_INIT;
        top_dict_write(w, &top, &l, cidcount, (long)pbuf[0].len);
        const unsigned char *to = (const unsigned char *)top.data;
        size_t tl = top.len;
        put_index(out, 1, &to, &tl);
        hu_buf_free(&top);
        if (!w->cid_keyed && n) { /* the strings, and the new glyphs' names after them */
            unsigned ns = w->strings.count;
            for (unsigned k = 0; k < ns; k++) {
                size_t a, e;
                if (!index_object(c, &w->strings, k, &a, &e)) goto done;
                obj[k] = d + a, olen[k] = e - a;
            }
            size_t at = 0;
            for (unsigned j = 0; j < n; j++) {
                size_t k = (size_t)snprintf(name, sizeof name, "g%u.hu%u", g[j].gid, j);
                obj[ns + j] = (const unsigned char *)names.data + at, olen[ns + j] = k;
                at += k;
            }
            put_index(out, ns + n, obj, olen);
        } else {
            hu_buf_put(out, d + w->strings.off, w->strings.end - w->strings.off);
        }
        hu_buf_put(out, d + w->gsubrs.off, w->gsubrs.end - w->gsubrs.off);
        l.charset = (long)out->len;
        charset_write(out, cs, total, w->charset_format);
        if (w->cid_keyed) {
            l.fdselect = (long)out->len;
            fdselect_write(out, w->fd, total, w->fdsel_format);
        }
        l.charstrings = (long)out->len;
        for (unsigned k = 0; k < total; k++) {
            size_t a = 0, e = 0;
            if (k < ng) {
                if (!index_object(c, &w->cs, k, &a, &e)) goto done;
                obj[k] = d + a, olen[k] = e - a;
            } else {
                obj[k] = (const unsigned char *)cstr[k - ng].data, olen[k] = cstr[k - ng].len;
            }
        }
        put_index(out, total, obj, olen);
        if (w->cid_keyed) {
            l.fdarray = (long)out->len;
            hu_buf *fds = calloc(w->nfd, sizeof *fds);
            if (!fds) goto done;
            for (unsigned i = 0; i < w->nfd; i++) {
                size_t a, e;
                index_object(c, &w->fdarray, i, &a, &e);
                font_dict_write(w, &fds[i], a, e, (long)pbuf[i].len, priv_off[i]);
                obj[i] = (const unsigned char *)fds[i].data, olen[i] = fds[i].len;
            }
            put_index(out, w->nfd, obj, olen);
            for (unsigned i = 0; i < w->nfd; i++)
                hu_buf_free(&fds[i]);
            free(fds);
        }
        for (unsigned i = 0; i < w->nfd; i++) {
            priv_off[i] = (long)out->len;
            hu_buf_put(out, pbuf[i].data, pbuf[i].len);
            const cff_index *x = &w->pd[i].lsubrs;
            if (w->pd[i].subrs >= 0) hu_buf_put(out, d + x->off, x->end - x->off);
        }
        if (w->encoding > 1) {
            l.encoding = (long)out->len;
            hu_buf_put(out, d + w->encoding, w->enc_len);
        }
    }
    ok = true;
done:
    if (cstr)
        for (unsigned j = 0; j < n; j++)
            hu_buf_free(&cstr[j]);
    if (pbuf)
        for (unsigned i = 0; i < w->nfd; i++)
            hu_buf_free(&pbuf[i]);
    free(cstr), free(pbuf), free(obj), free(olen), free(priv_off), free(cs);
    hu_buf_free(&names);
    return ok;
}

bool hu_cff_append(const hu_cff *c, const hu_cff_glyph *g, unsigned n, hu_buf *out,
                   unsigned *code) {
    cff_w w;
    memset(&w, 0, sizeof w);
    w.c = c;
    w.d = c->data;
    bool ok = cff_append(&w, g, n, out, code);
    free(w.pd);
    free(w.fd);
    if (!ok) out->len = 0;
    return ok;
}
