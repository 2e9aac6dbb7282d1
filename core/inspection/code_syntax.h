// A small lexer for C-like text, enough to tell where strings, comments, brackets and if
// statements are: the properties the seeds' interpretable cells track (neurons.h). It is a
// state machine over the characters, not a parser: it knows double-quoted strings (with
// backslash escapes), char literals, /* */ and // comments and # comments (shell, Python) but
// not C's preprocessor lines, which are code. Prose goes through it unharmed: an apostrophe
// opens a char literal only when one closes right after it ('x', '\n', '\''), and curly quotes
// “ ” count as a string.
#pragma once
#include <vector>

namespace charrnn {

// One value per character, each the state after reading that character.
struct CodeSyntax {
  // 1 from an opening double quote (" or “) up to, not including, its closing quote. Inside a
  // comment or a char literal a quote opens nothing; inside a string \" does not close it.
  std::vector<float> in_string;  // [N]
  // 1 inside /* */ from its "*" (the "/" before it is known to open a comment only then) to its
  // closing "/"; after // or a # that does not begin a preprocessor directive up to, not
  // including, the line break. Comment markers inside strings and char literals open nothing.
  std::vector<float> in_comment;  // [N]
  // Open (, [ and { not yet closed, counting only brackets in code (not in strings, char
  // literals or comments); a closer with nothing open is ignored.
  std::vector<float> bracket_depth;  // [N]
  // An if statement: the keyword "if" in code (not part of an identifier such as ifdef or gif,
  // not the #if of the preprocessor, and followed, after white space, by "("), then its
  // condition up to the ")" that closes it, then its body: a { } block up to its matching "}",
  // or a single statement up to its ";" at the if's own bracket depth (or a "}" that brings the
  // depth back there, as after a braced loop body). An else branch is not part of it; "else if"
  // starts a new if statement. Ifs nest: an if inside an if's body is inside both.
  //
  // 1 from the "i" of "if" to the ")" that closes its condition, inclusive.
  std::vector<float> in_if_condition;  // [N]
  // 1 from the "i" of "if" to the last character of its body, inclusive.
  std::vector<float> in_if_statement;  // [N]
};

CodeSyntax code_syntax(const std::vector<char32_t>& text);

}  // namespace charrnn
