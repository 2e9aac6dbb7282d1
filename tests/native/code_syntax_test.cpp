// The lexer behind the "inside quotes", "inside a comment", "bracket depth" and if properties
// (core/inspection/code_syntax.h) on snippets that fool a lexer counting characters: comment
// markers and brackets in strings, quotes in comments and char literals, escaped quotes,
// preprocessor lines, nested ifs, else if, identifiers containing "if", ifs without braces.
// Each expectation is written under its text, one mark per character.
#include <gtest/gtest.h>

#include <string>

#include "inspection/code_syntax.h"
#include "inspection/neurons.h"
#include "text/utf8.h"

namespace charrnn {
namespace {

std::vector<char32_t> ascii(const std::string& s) { return std::vector<char32_t>(s.begin(), s.end()); }

// '1' where the value is non-zero, '.' elsewhere; a line break stays a line break.
std::string flags(const std::string& text, const std::vector<float>& v) {
  std::string out;
  for (size_t i = 0; i < text.size(); i++) out += text[i] == '\n' ? '\n' : v[i] != 0.0f ? '1' : '.';
  return out;
}

std::string digits(const std::vector<float>& v) {
  std::string out;
  for (float x : v) out += static_cast<char>('0' + static_cast<int>(x));
  return out;
}

// 'C' in an if's condition (and so in its statement), 'S' in its statement only, '.' outside.
std::string if_marks(const std::string& text) {
  const CodeSyntax c = code_syntax(ascii(text));
  std::string out;
  for (size_t i = 0; i < text.size(); i++)
    out += text[i] == '\n' ? '\n' : c.in_if_condition[i] != 0.0f ? 'C' : c.in_if_statement[i] != 0.0f ? 'S' : '.';
  return out;
}

TEST(CodeSyntax, CommentMarkersAndBracketsInAStringAreText) {
  const std::string t = R"(a = "/* ( // [" ; b(c))";
  const CodeSyntax c = code_syntax(ascii(t));
  EXPECT_EQ(flags(t, c.in_string), "....1111111111........");
  EXPECT_EQ(flags(t, c.in_comment), "......................");
  EXPECT_EQ(digits(c.bracket_depth), "0000000000000000000110");
}

TEST(CodeSyntax, QuotesAndBracketsInCommentsAndCharLiteralsAreText) {
  const std::string t = "/* \"it's\" ( */ x = '\"' + (1); // \"q (\nz";
  const CodeSyntax c = code_syntax(ascii(t));
  EXPECT_EQ(flags(t, c.in_comment), ".1111111111111.................111111\n.");
  EXPECT_EQ(flags(t, c.in_string), ".....................................\n.");
  EXPECT_EQ(digits(c.bracket_depth), "000000000000000000000000011000000000000");
}

TEST(CodeSyntax, EscapedQuotesDoNotCloseAString) {
  const std::string t = R"(s = "a\"b\\"; t = "c";)";
  EXPECT_EQ(flags(t, code_syntax(ascii(t)).in_string), "....1111111.......11..");
  const std::string u = R"(c = '\'' ; s = "x";)";
  EXPECT_EQ(flags(u, code_syntax(ascii(u)).in_string), "...............11..");
}

TEST(CodeSyntax, ApostrophesInProseOpenNothing) {
  const std::string t = R"(don't (it's) "x")";
  const CodeSyntax c = code_syntax(ascii(t));
  EXPECT_EQ(flags(t, c.in_string), ".............11.");
  EXPECT_EQ(digits(c.bracket_depth), "0000001111100000");
  const std::vector<char32_t> curly = decode_utf8("He said “no (way)” then");
  EXPECT_EQ(flags(std::string(curly.size(), 'x'), code_syntax(curly).in_string), "........111111111......");
}

TEST(CodeSyntax, PreprocessorLinesAreCodeButHashCommentsAreComments) {
  const std::string t = "#define CAT(a,b) a##b\nx # c\n";
  const CodeSyntax c = code_syntax(ascii(t));
  EXPECT_EQ(flags(t, c.in_comment), ".....................\n..111\n");
  EXPECT_EQ(digits(c.bracket_depth), "0000000000011110000000000000");
}

TEST(CodeSyntax, IfStatementsNestWithoutBracesAndStopAtElse) {
  const std::string t =
      "if (a) x;\n"
      "gif(b); ifdef(c);\n"
      "#if (d)\n"
      "if (p && f(q)) { if (r) y; z; } else if (s) w = \"if (\";\n"
      "else v;\n"
      "if (t)\n"
      "  if (u) k(); else m;\n"
      "n;";
  const std::string marks =
      "CCCCCCSSS\n"
      ".................\n"
      ".......\n"
      "CCCCCCCCCCCCCCSSSCCCCCCSSSSSSSS......CCCCCCSSSSSSSSSSSS\n"
      ".......\n"
      "CCCCCC\n"
      "SSCCCCCCSSSSS........\n"
      "..";
  EXPECT_EQ(if_marks(t), marks);
  // The line break between "if (t)" and its statement is inside the statement, not the condition.
  const CodeSyntax c = code_syntax(ascii(t));
  const size_t newline = t.find("if (t)") + 6;
  EXPECT_EQ(c.in_if_statement[newline], 1.0f);
  EXPECT_EQ(c.in_if_condition[newline], 0.0f);
}

TEST(CodeSyntax, AnIfBodyBlockEndsAtItsOwnBrace) {
  const std::string t = "if (x) {\n  while (y) { z(\"}\"); }\n  /* } */ w;\n}\nv;";
  const std::string marks = "CCCCCCSS\nSSSSSSSSSSSSSSSSSSSSSSS\nSSSSSSSSSSSS\nS\n..";
  EXPECT_EQ(if_marks(t), marks);
}

TEST(CodeSyntax, ProseHasNoIfs) {
  const std::string t = "If thou wilt, if not (as I think) go; if, if.";
  EXPECT_EQ(if_marks(t), std::string(t.size(), '.'));
}

TEST(CodeSyntax, TextPropertiesUseIt) {
  const std::string t = R"(if (s == "/*(") y; // "x")";
  std::vector<std::string> names;
  for (const TextProperty& p : text_properties(ascii(t))) {
    names.push_back(p.name);
    if (p.name == "inside quotes") EXPECT_EQ(flags(t, p.values), ".........1111............");
    if (p.name == "inside a comment") EXPECT_EQ(flags(t, p.values), "....................11111");
    if (p.name == "bracket depth") EXPECT_EQ(digits(p.values), "0001111111111100000000000");
    if (p.name == "inside an if statement") EXPECT_EQ(flags(t, p.values), "111111111111111111.......");
  }
  EXPECT_EQ(names, (std::vector<std::string>{"inside quotes", "line position", "bracket depth", "inside a comment",
                                             "indentation", "inside a word", "inside an if condition",
                                             "inside an if statement"}));
}

}  // namespace
}  // namespace charrnn
