#ifndef TIDINGS_CLIBXML2_SHIM_H
#define TIDINGS_CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>

// xmlFree is a global function pointer, which Swift 6 refuses to call as a shared mutable global.
static inline void tidings_xml_free(void *pointer) { xmlFree(pointer); }

// libxml2 prints errors to stderr unless a handler is set; its handlers are per thread. Tidings reads
// errors from the parser context instead, so the handlers swallow them.
static void tidings_xml_ignore_generic(void *context, const char *message, ...) {
    (void)context; (void)message;
}
static void tidings_xml_ignore_structured(void *context, xmlErrorPtr error) {
    (void)context; (void)error;
}
static inline void tidings_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, tidings_xml_ignore_generic);
    xmlSetStructuredErrorFunc(NULL, tidings_xml_ignore_structured);
}

#endif
