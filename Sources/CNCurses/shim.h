#ifndef TOURNIQUET_CNCURSES_SHIM_H
#define TOURNIQUET_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <ncursesw/curses.h>

/* Globals and macros that Swift 6 cannot import or calls unsafe. */
static inline WINDOW *tq_stdscr(void) { return stdscr; }
static inline int tq_lines(void) { return LINES; }
static inline int tq_cols(void) { return COLS; }
static inline attr_t tq_a_bold(void) { return A_BOLD; }
static inline attr_t tq_a_reverse(void) { return A_REVERSE; }
static inline attr_t tq_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tq_a_dim(void) { return A_DIM; }
static inline attr_t tq_a_normal(void) { return A_NORMAL; }
static inline int tq_key_resize(void) { return KEY_RESIZE; }
static inline int tq_err(void) { return ERR; }
#endif
