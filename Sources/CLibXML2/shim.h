#ifndef TIDINGS_CLIBXML2_SHIM_H
#define TIDINGS_CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>

// xmlFree is a global function pointer, which Swift 6 refuses to call as a shared mutable global.
static inline void tidings_xml_free(void *pointer) { xmlFree(pointer); }

// Structured errors are reported through a callback; libxml2 2.9 passes a non-const pointer.
static inline void tidings_xml_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, NULL);
}

#endif
