// Typed message templates (the CAMP_MESSAGE rows of DiagnosticKinds.def): each message is a type
// diag::msg::ID with its kind, template and argument types, reported through one typed call.
#pragma once

#include <cstdint>
#include <fmt/format.h>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "diag/Diagnostic.h"

namespace camp::diag {

/// What a message's arguments are. The template writes the punctuation (backticks), the
/// argument only its text, so the same name reads the same in every message.
namespace arg {
class Phrase;
}
template <typename P, typename... A> arg::Phrase phrase(const A &...args);

namespace arg {
struct Name {  // a name as the model spells it: a param, let, rate card, scenario …
  std::string text;
};
struct Unit {  // a unit or currency as written: USD, email, USD/h
  std::string text;
};
struct Path {  // a file path or import as written
  std::string text;
};
struct Words { // a phrase of Camp's own: "param", "rate card"
  std::string text;
};
struct Count { // a whole number: a byte offset, a count
  int64_t value;
};
struct Number { // a computed value, printed as fmt prints a double: 1.5, 1e+20
  double value;
};
/// A phrase that names the subject of a message: "the value of param `rate`". Built from a
/// CAMP_PHRASE row with diag::phrase<diag::phr::Id>(…), so its punctuation is in the table too,
/// or from Words that have none ("a budget").
class Phrase {
public:
  explicit Phrase(const Words &w) : Text(w.text) {}
  const std::string &text() const { return Text; }

private:
  template <typename P, typename... A> friend Phrase camp::diag::phrase(const A &...args);
  explicit Phrase(std::string text) : Text(std::move(text)) {}
  std::string Text;
};
} // namespace arg

inline const std::string &argText(const arg::Name &a) { return a.text; }
inline const std::string &argText(const arg::Unit &a) { return a.text; }
inline const std::string &argText(const arg::Path &a) { return a.text; }
inline const std::string &argText(const arg::Words &a) { return a.text; }
inline int64_t argText(const arg::Count &a) { return a.value; }
inline double argText(const arg::Number &a) { return a.value; }
inline const std::string &argText(const arg::Phrase &a) { return a.text(); }

/// The CAMP_PHRASE rows: parts of messages that a caller chooses ("{0} of price `{1}`").
namespace phr {
using namespace arg;
#define CAMP_PHRASE(Id, Template, ...)                                                                        \
  struct Id {                                                                                                 \
    static constexpr const char text[] = Template;                                                            \
    using Args = std::tuple<__VA_ARGS__>;                                                                     \
  };
#include "diag/DiagnosticKinds.def"
} // namespace phr

/// Phrase P with its arguments, which must be exactly the types the table declares.
template <typename P, typename... A> arg::Phrase phrase(const A &...args) {
  static_assert(std::is_same_v<std::tuple<A...>, typename P::Args>,
                "pass the argument types DiagnosticKinds.def declares for this phrase, in order");
  return arg::Phrase(fmt::format(fmt::runtime(P::text), argText(args)...));
}

namespace msg {
using namespace arg;
#define CAMP_MESSAGE(K, Id, Template, ...)                                                                    \
  struct Id {                                                                                                 \
    static constexpr Kind kind = Kind::K;                                                                     \
    static constexpr const char text[] = Template;                                                            \
    using Args = std::tuple<__VA_ARGS__>;                                                                     \
  };
#include "diag/DiagnosticKinds.def"
} // namespace msg

/// "a, b and c": phrases listed in a sentence.
inline arg::Phrase listOf(const std::vector<arg::Phrase> &items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i].text();
  return arg::Phrase(arg::Words{out});
}

/// The message M with its arguments, which must be exactly the types the table declares.
template <typename M, typename... A> std::string format(const A &...args) {
  static_assert(std::is_same_v<std::tuple<A...>, typename M::Args>,
                "pass the argument types DiagnosticKinds.def declares for this message, in order");
  return fmt::format(fmt::runtime(M::text), argText(args)...);
}

/// Reports message M (its kind comes from the table) at `range`.
template <typename M, typename... A> Diagnostic &report(DiagnosticEngine &engine, SourceRange range, const A &...args) {
  return engine.report(M::kind, range, format<M>(args...));
}

/// Every typed template, for `camp explain` and the table's tests.
struct MessageTemplate {
  Kind kind;
  const char *id;
  const char *text;
  size_t arity;
};
inline const std::vector<MessageTemplate> &messageTemplates() {
  static const std::vector<MessageTemplate> all = {
#define CAMP_MESSAGE(K, Id, Template, ...) {Kind::K, #Id, Template, std::tuple_size_v<msg::Id::Args>},
#include "diag/DiagnosticKinds.def"
  };
  return all;
}

/// Every CAMP_PHRASE row (kind unused), for the table's tests.
inline const std::vector<MessageTemplate> &phraseTemplates() {
  static const std::vector<MessageTemplate> all = {
#define CAMP_PHRASE(Id, Template, ...) {Kind::InternalError, #Id, Template, std::tuple_size_v<phr::Id::Args>},
#include "diag/DiagnosticKinds.def"
  };
  return all;
}

} // namespace camp::diag
