/* hpdflib.h - libharu (libhpdf), loaded with dlopen (dynlib.h) instead of at every start.
 *
 * pdf.c, pdf_fonts.c and pdf_write.c call libharu by its own names: this header, included after
 * libharu's, turns each name into the entry of one table that hu_hpdf_load fills. Why: libharu
 * brings libpng16 and zlib with it, three libraries mapped and relocated at every start (~1 ms
 * on the virtual machines we measure on, bench/README.md, Session 10) though only a PDF needs
 * them; for a PDF the loading happens on main.c's warm-up thread (report.c hu_report_warm_up)
 * while the main thread lays the report out. Each entry has the type libharu's header declares
 * (__typeof__), so a mismatch is a compile error. A new libharu call goes into HU_HPDF_FUNCS
 * and gets its #define below; until it does, the link fails (huibao no longer links libharu).
 * The tests that make a libharu document themselves (test_cff, test_fonts) link libharu. */
#ifndef HU_HPDFLIB_H
#define HU_HPDFLIB_H
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_error.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <stdbool.h>

#include "error.h"

/* clang-format off */
#define HU_HPDF_FUNCS(X) \
    X(HPDF_AddPage) X(HPDF_Array_Add) X(HPDF_Array_AddName) X(HPDF_Array_AddNumber) \
    X(HPDF_Array_AddReal) X(HPDF_Array_Clear) X(HPDF_Array_New) X(HPDF_Binary_New) \
    X(HPDF_CallbackWriter_New) \
    X(HPDF_CheckError) X(HPDF_CreateOutline) X(HPDF_DictStream_New) X(HPDF_Dict_Add) \
    X(HPDF_Dict_AddName) X(HPDF_Dict_AddNumber) X(HPDF_Dict_GetItem) X(HPDF_Dict_New) \
    X(HPDF_FToA) X(HPDF_Free) X(HPDF_List_ItemAt) X(HPDF_MemStream_FreeData) \
    X(HPDF_MemStream_GetBufCount) X(HPDF_MemStream_GetBufPtr) X(HPDF_New) X(HPDF_Null_New) \
    X(HPDF_Obj_Write) X(HPDF_Obj_WriteValue) X(HPDF_Outline_SetDestination) \
    X(HPDF_Outline_SetOpened) X(HPDF_Page_BeginText) X(HPDF_Page_CheckState) \
    X(HPDF_Page_CreateDestination) X(HPDF_Page_EndText) X(HPDF_Page_GetLocalFontName) \
    X(HPDF_Page_LineTo) X(HPDF_Page_MoveTo) X(HPDF_Page_SetCharSpace) X(HPDF_Page_SetHeight) \
    X(HPDF_Page_SetLineWidth) X(HPDF_Page_SetRGBFill) X(HPDF_Page_SetRGBStroke) \
    X(HPDF_Page_SetTextRenderingMode) X(HPDF_Page_SetWidth) X(HPDF_Page_Stroke) \
    X(HPDF_SetInfoAttr) X(HPDF_SetInfoDateAttr) X(HPDF_SetPageMode) \
    X(HPDF_Stream_Free) X(HPDF_Stream_Size) X(HPDF_Stream_Write) X(HPDF_Stream_WriteChar) \
    X(HPDF_Stream_WriteEscapeName) X(HPDF_Stream_WriteReal) X(HPDF_Stream_WriteStr) \
    X(HPDF_String_New) X(HPDF_Xref_Add) X(HPDF_Xref_GetEntry)
/* clang-format on */

#define HU_HPDF_FIELD(f) __typeof__(f) *f;
typedef struct hu_hpdf_api {
    HU_HPDF_FUNCS(HU_HPDF_FIELD)
} hu_hpdf_api;
#undef HU_HPDF_FIELD

/* The functions; filled by the first hu_hpdf_load, read-only after it. */
extern hu_hpdf_api hu_hpdf;

/* Loads libharu on the calling thread (once per process; a concurrent caller waits for the
 * first). False when it cannot be loaded, with a Chinese error against name in d naming the
 * library and its Debian package (d may be NULL: a warm-up that only wants it loaded). */
bool hu_hpdf_load(const char *name, hu_diags *d);

#ifndef HU_HPDFLIB_TABLE /* hpdflib.c fills the table under the real names */
/* clang-format off */
#define HPDF_AddPage (hu_hpdf.HPDF_AddPage)
#define HPDF_Array_Add (hu_hpdf.HPDF_Array_Add)
#define HPDF_Array_AddName (hu_hpdf.HPDF_Array_AddName)
#define HPDF_Array_AddNumber (hu_hpdf.HPDF_Array_AddNumber)
#define HPDF_Array_AddReal (hu_hpdf.HPDF_Array_AddReal)
#define HPDF_Array_Clear (hu_hpdf.HPDF_Array_Clear)
#define HPDF_Array_New (hu_hpdf.HPDF_Array_New)
#define HPDF_Binary_New (hu_hpdf.HPDF_Binary_New)
#define HPDF_CallbackWriter_New (hu_hpdf.HPDF_CallbackWriter_New)
#define HPDF_CheckError (hu_hpdf.HPDF_CheckError)
#define HPDF_CreateOutline (hu_hpdf.HPDF_CreateOutline)
#define HPDF_DictStream_New (hu_hpdf.HPDF_DictStream_New)
#define HPDF_Dict_Add (hu_hpdf.HPDF_Dict_Add)
#define HPDF_Dict_AddName (hu_hpdf.HPDF_Dict_AddName)
#define HPDF_Dict_AddNumber (hu_hpdf.HPDF_Dict_AddNumber)
#define HPDF_Dict_GetItem (hu_hpdf.HPDF_Dict_GetItem)
#define HPDF_Dict_New (hu_hpdf.HPDF_Dict_New)
#define HPDF_FToA (hu_hpdf.HPDF_FToA)
#define HPDF_Free (hu_hpdf.HPDF_Free)
#define HPDF_List_ItemAt (hu_hpdf.HPDF_List_ItemAt)
#define HPDF_MemStream_FreeData (hu_hpdf.HPDF_MemStream_FreeData)
#define HPDF_MemStream_GetBufCount (hu_hpdf.HPDF_MemStream_GetBufCount)
#define HPDF_MemStream_GetBufPtr (hu_hpdf.HPDF_MemStream_GetBufPtr)
#define HPDF_New (hu_hpdf.HPDF_New)
#define HPDF_Null_New (hu_hpdf.HPDF_Null_New)
#define HPDF_Obj_Write (hu_hpdf.HPDF_Obj_Write)
#define HPDF_Obj_WriteValue (hu_hpdf.HPDF_Obj_WriteValue)
#define HPDF_Outline_SetDestination (hu_hpdf.HPDF_Outline_SetDestination)
#define HPDF_Outline_SetOpened (hu_hpdf.HPDF_Outline_SetOpened)
#define HPDF_Page_BeginText (hu_hpdf.HPDF_Page_BeginText)
#define HPDF_Page_CheckState (hu_hpdf.HPDF_Page_CheckState)
#define HPDF_Page_CreateDestination (hu_hpdf.HPDF_Page_CreateDestination)
#define HPDF_Page_EndText (hu_hpdf.HPDF_Page_EndText)
#define HPDF_Page_GetLocalFontName (hu_hpdf.HPDF_Page_GetLocalFontName)
#define HPDF_Page_LineTo (hu_hpdf.HPDF_Page_LineTo)
#define HPDF_Page_MoveTo (hu_hpdf.HPDF_Page_MoveTo)
#define HPDF_Page_SetCharSpace (hu_hpdf.HPDF_Page_SetCharSpace)
#define HPDF_Page_SetHeight (hu_hpdf.HPDF_Page_SetHeight)
#define HPDF_Page_SetLineWidth (hu_hpdf.HPDF_Page_SetLineWidth)
#define HPDF_Page_SetRGBFill (hu_hpdf.HPDF_Page_SetRGBFill)
#define HPDF_Page_SetRGBStroke (hu_hpdf.HPDF_Page_SetRGBStroke)
#define HPDF_Page_SetTextRenderingMode (hu_hpdf.HPDF_Page_SetTextRenderingMode)
#define HPDF_Page_SetWidth (hu_hpdf.HPDF_Page_SetWidth)
#define HPDF_Page_Stroke (hu_hpdf.HPDF_Page_Stroke)
#define HPDF_SetInfoAttr (hu_hpdf.HPDF_SetInfoAttr)
#define HPDF_SetInfoDateAttr (hu_hpdf.HPDF_SetInfoDateAttr)
#define HPDF_SetPageMode (hu_hpdf.HPDF_SetPageMode)
#define HPDF_Stream_Free (hu_hpdf.HPDF_Stream_Free)
#define HPDF_Stream_Size (hu_hpdf.HPDF_Stream_Size)
#define HPDF_Stream_Write (hu_hpdf.HPDF_Stream_Write)
#define HPDF_Stream_WriteChar (hu_hpdf.HPDF_Stream_WriteChar)
#define HPDF_Stream_WriteEscapeName (hu_hpdf.HPDF_Stream_WriteEscapeName)
#define HPDF_Stream_WriteReal (hu_hpdf.HPDF_Stream_WriteReal)
#define HPDF_Stream_WriteStr (hu_hpdf.HPDF_Stream_WriteStr)
#define HPDF_String_New (hu_hpdf.HPDF_String_New)
#define HPDF_Xref_Add (hu_hpdf.HPDF_Xref_Add)
#define HPDF_Xref_GetEntry (hu_hpdf.HPDF_Xref_GetEntry)
/* clang-format on */
#endif

#endif
