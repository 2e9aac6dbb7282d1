#include "inspection/code_syntax.h"

#include <algorithm>
#include <string>

namespace charrnn {

namespace {

bool is_identifier_char(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Index of the closing quote of a char literal opening at text[i] == '\'', or 0 when it is an
// apostrophe: 'x' (any one character but a line break or a quote), or '\...' with the closing
// quote within a few characters ('\n', '\'', '\\', '\x41', '\0377').
size_t char_literal_end(const std::vector<char32_t>& t, size_t i) {
  const size_t N = t.size();
  if (i + 2 >= N || t[i + 1] == '\n') return 0;
  if (t[i + 1] == '\\') {
    for (size_t j = i + 3; j < N && j <= i + 8 && t[j] != '\n'; j++)
      if (t[j] == '\'') return j;
    return 0;
  }
  return t[i + 1] != '\'' && t[i + 2] == '\'' ? i + 2 : 0;
}

// Whether the "#" at text[i] begins a C preprocessor directive (#include, # define, ...), which
// is code, rather than a shell or Python comment.
bool is_directive(const std::vector<char32_t>& t, size_t i) {
  static const char* const directives[] = {"include", "define", "undef", "if", "ifdef", "ifndef", "elif",
                                           "else", "endif", "error", "warning", "pragma", "line"};
  size_t j = i + 1;
  while (j < t.size() && (t[j] == ' ' || t[j] == '\t')) j++;
  std::string word;
  while (j < t.size() && is_identifier_char(t[j]) && word.size() < 8) word += static_cast<char>(t[j++]);
  if (j < t.size() && is_identifier_char(t[j])) return false;
  return std::find(std::begin(directives), std::end(directives), word) != std::end(directives);
}

// Whether the "i" at text[i] begins the keyword if: "if" on its own (not within an identifier,
// not after "#"), followed after white space by "(".
bool is_if_keyword(const std::vector<char32_t>& t, size_t i) {
  const size_t N = t.size();
  if (t[i] != 'i' || i + 1 >= N || t[i + 1] != 'f') return false;
  if (i > 0 && is_identifier_char(t[i - 1])) return false;
  if (i + 2 < N && is_identifier_char(t[i + 2])) return false;
  size_t before = i;  // "#if (" and "# if (" are the preprocessor's
  while (before > 0 && (t[before - 1] == ' ' || t[before - 1] == '\t')) before--;
  if (before > 0 && t[before - 1] == '#') return false;
  size_t j = i + 2;
  while (j < N && is_space(t[j])) j++;
  return j < N && t[j] == '(';
}

enum class Lex { code, string, curly_string, char_literal, line_comment, block_comment };

// An if statement being read: which part, and the bracket depth its keyword stood at.
struct OpenIf {
  enum Part { keyword, condition, before_body, block, statement } part;
  int depth;
};

}  // namespace

CodeSyntax code_syntax(const std::vector<char32_t>& text) {
  const size_t N = text.size();
  CodeSyntax out;
  for (std::vector<float>* v : {&out.in_string, &out.in_comment, &out.bracket_depth, &out.in_if_condition,
                                &out.in_if_statement})
    v->assign(N, 0.0f);
  Lex lex = Lex::code;
  bool escaped = false;  // in a string, after a backslash
  bool slash = false;  // the previous character was a "/" in code: "*" or "/" now opens a comment
  bool directive = false;  // on a preprocessor line (up to a line break without "\\" before it): # is code
  size_t block_chars = 0, char_end = 0;
  int depth = 0;
  std::vector<OpenIf> ifs;  // innermost last
  for (size_t i = 0; i < N; i++) {
    const char32_t ch = text[i];
    bool comment_closes = false;  // the "/" of "*/" still belongs to the comment
    bool code = false;  // ch is code (not in a string, char literal or comment, nor opening one)
    switch (lex) {
      case Lex::string:
        if (escaped) escaped = false;
        else if (ch == '\\') escaped = true;
        else if (ch == '"') lex = Lex::code;
        break;
      case Lex::curly_string:
        if (ch == U'”') lex = Lex::code;
        break;
      case Lex::char_literal:
        if (i == char_end) lex = Lex::code;
        break;
      case Lex::line_comment:
        if (ch == '\n') lex = Lex::code;
        break;
      case Lex::block_comment:
        if (ch == '/' && text[i - 1] == '*' && block_chars > 0) lex = Lex::code, comment_closes = true;
        block_chars++;
        break;
      case Lex::code:
        if (slash && ch == '*') lex = Lex::block_comment, block_chars = 0;
        else if (slash && ch == '/') lex = Lex::line_comment;
        else if (ch == '#' && !directive && !(directive = is_directive(text, i))) lex = Lex::line_comment;
        else if (ch == '"') lex = Lex::string, escaped = false;
        else if (ch == U'“') lex = Lex::curly_string;
        else if (ch == '\'' && (char_end = char_literal_end(text, i)) != 0) lex = Lex::char_literal;
        else code = true;
        break;
    }
    slash = code && ch == '/';
    if (ch == '\n' && (i == 0 || text[i - 1] != '\\')) directive = false;

    bool condition = false, statement = false;  // this character belongs to an if's condition / statement
    if (code) {
      const int before = depth;
      if (ch == '(' || ch == '[' || ch == '{') depth++;
      else if ((ch == ')' || ch == ']' || ch == '}') && depth > 0) depth--;
      // An if whose body has not begun takes this character as the first of its body.
      if (!ifs.empty() && ifs.back().part == OpenIf::before_body && !is_space(ch))
        ifs.back().part = ch == '{' ? OpenIf::block : OpenIf::statement;
      if (is_if_keyword(text, i)) ifs.push_back({OpenIf::keyword, before});
      for (const OpenIf& o : ifs) condition |= o.part == OpenIf::keyword || o.part == OpenIf::condition;
      statement = !ifs.empty();
      // Advance the innermost if; an ending statement can end the ones around it on the same
      // character ("if (a) if (b) x;").
      while (!ifs.empty()) {
        OpenIf& o = ifs.back();
        bool ends = depth < o.depth;  // unbalanced brackets: the if cannot still be open
        if (o.part == OpenIf::keyword && ch == '(') o.part = OpenIf::condition;
        else if (o.part == OpenIf::condition && depth == o.depth) o.part = OpenIf::before_body;
        else if (o.part == OpenIf::block && ch == '}' && depth == o.depth) ends = true;
        else if (o.part == OpenIf::statement && (ch == ';' || ch == '}') && depth == o.depth) ends = true;
        if (!ends) break;
        ifs.pop_back();
      }
    } else {
      for (const OpenIf& o : ifs) condition |= o.part == OpenIf::condition;
      statement = !ifs.empty();
    }

    out.in_string[i] = lex == Lex::string || lex == Lex::curly_string ? 1.0f : 0.0f;
    out.in_comment[i] = lex == Lex::line_comment || lex == Lex::block_comment || comment_closes ? 1.0f : 0.0f;
    out.bracket_depth[i] = static_cast<float>(depth);
    out.in_if_condition[i] = condition ? 1.0f : 0.0f;
    out.in_if_statement[i] = statement ? 1.0f : 0.0f;
  }
  return out;
}

}  // namespace charrnn
