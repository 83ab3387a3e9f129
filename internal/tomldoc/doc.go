// Package tomldoc is spof's TOML layer: every TOML file spof reads (inventories, the policy file) or
// rewrites (spof fmt, spof import) goes through it, and it is the only user of BurntSushi/toml.
//
// BurntSushi decodes the values but keeps no position for them and drops comments; so one scanner
// (scan.go) reads TOML's syntax — headers, dotted and quoted keys, the four kinds of string, scalars,
// arrays and inline tables, comments — and reports what it reads to a builder. Two builders use it:
//
//   - the position index behind Decode: a Document holds the decoded values and says where each key
//     and value is written (KeyPos, ValuePos, by path), so that an error can point at the mistake;
//   - the Tree behind ParseTree: tables and entries with their comments and the text of their values,
//     which callers reorder and edit and print in a canonical layout (Tree.Bytes).
//
// The scanner checks only what it needs to find its way (not escapes in values, the digits of numbers
// and dates, control characters, nor keys and tables defined twice), so it accepts more than TOML.
// That is why Decode and ParseTree always decode with BurntSushi first and report its syntax error: what
// they accept is exactly what BurntSushi accepts. The fuzz tests check the rest of the agreement: on
// every document BurntSushi accepts, the scanner reads to the end, every decoded key and value has a
// position showing its text, and every entry's value text decodes to the value BurntSushi decoded.
// One exception: BurntSushi v1.6 accepts a few redefinitions that TOML forbids (`y.a = 1` then
// `y = 2`, `a = { b = 1 }` then `a.c = 1`) and keeps one definition or the other; the index then
// points at the first definition, which may not be the one in Data.
//
// Columns count characters (Unicode code points, a tab counting one), in positions and in syntax
// errors alike.
package tomldoc
