#ifndef TENDER_CHTTPPARSER_SHIM_H
#define TENDER_CHTTPPARSER_SHIM_H
#include <http_parser.h>

// http_parser keeps method, errno and the upgrade flag in C bitfields; these accessors give
// Swift plain integers without relying on how the importer lays bitfields out.
static inline unsigned int chttpparser_method(const http_parser *parser) { return parser->method; }
static inline unsigned int chttpparser_errno(const http_parser *parser) { return parser->http_errno; }
static inline unsigned int chttpparser_upgrade(const http_parser *parser) { return parser->upgrade; }
static inline unsigned short chttpparser_major(const http_parser *parser) { return parser->http_major; }
static inline unsigned short chttpparser_minor(const http_parser *parser) { return parser->http_minor; }
#endif
