// The C header written beside a compiled model, and the small naming helpers of the backend.
#include <set>

#include <fmt/format.h>

#include "Backend.h"

namespace camp::backend {

namespace {

const char *const kAbiText =
#include "CampAbiText.inc"
    ;

/// Hands out C names, adding _2, _3, ... when two model names clean up to the same one.
class NameTable {
public:
  std::string take(const std::string &wanted) {
    std::string name = wanted;
    for (int k = 2; !used.insert(name).second; ++k)
      name = wanted + "_" + std::to_string(k);
    return name;
  }

private:
  std::set<std::string> used;
};

/// A C string literal for `text` (model titles and names may hold quotes or non-ASCII).
std::string cString(const std::string &text) {
  std::string out = "\"";
  for (unsigned char ch : text) {
    if (ch == '"' || ch == '\\')
      out += fmt::format("\\{}", char(ch));
    else if (ch < 0x20 || ch >= 0x7f)
      out += fmt::format("\\{:03o}", ch);
    else
      out += char(ch);
  }
  return out + "\"";
}

/// cString() for use inside a C comment: a "*/" in a model's text must not end the comment.
std::string commentString(const std::string &text) {
  std::string out = cString(text);
  for (size_t at = out.find("*/"); at != std::string::npos; at = out.find("*/", at))
    out.replace(at, 2, "* /");
  return out;
}

} // namespace

std::optional<EmitKind> parseEmitKind(std::string_view text) {
  if (text == "obj" || text == "object")
    return EmitKind::Object;
  if (text == "shared" || text == "so")
    return EmitKind::Shared;
  if (text == "llvm-ir" || text == "ll")
    return EmitKind::LlvmIr;
  if (text == "asm")
    return EmitKind::Asm;
  if (text == "ir")
    return EmitKind::Ir;
  return std::nullopt;
}

const char *emitExtension(EmitKind kind) {
  switch (kind) {
  case EmitKind::Object:
    return ".o";
  case EmitKind::Shared:
    return ".so";
  case EmitKind::LlvmIr:
    return ".ll";
  case EmitKind::Asm:
    return ".s";
  case EmitKind::Ir:
    return ".ir";
  }
  return "";
}

std::string cIdentifier(std::string_view name) {
  std::string out;
  for (char ch : name) {
    bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    out += word ? ch : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9'))
    out = "m_" + out;
  return out;
}

std::string cHeader(const ir::Module &m, const std::string &name) {
  std::string id = cIdentifier(name);
  std::string upper;
  for (char ch : id)
    upper += (ch >= 'a' && ch <= 'z') ? char(ch - 'a' + 'A') : ch;
  std::string h;
  h += fmt::format("/* {}.h: C interface of the Camp model {}, written by `camp build`. */\n",
                   commentString(name), commentString(m.title));
  h += fmt::format("#ifndef CAMP_MODEL_{}_H\n#define CAMP_MODEL_{}_H\n\n", upper, upper);
  h += "/* ---- camp.h, the ABI shared by every compiled model ---- */\n";
  h += kAbiText;
  h += "/* ---- this model ---- */\n\n";
  h += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  h += fmt::format("/* Title {}, currency {}. */\n", commentString(m.title), commentString(m.currency));
  h += fmt::format("extern const camp_model {}_model;\n", id);
  h += fmt::format("int64_t {}_eval(const double *params, double *outputs);\n", id);
  h += fmt::format("void {}_eval_batch(size_t n, const double *const *params, const double *fixed,\n"
                   "    double *const *outputs, int64_t *errors);\n",
                   id);
  h += fmt::format("double {}_price(int32_t price, double quantity, const double *params,\n"
                   "    const double *outputs);\n\n",
                   id);
  h += fmt::format("#define {}_PARAM_COUNT {}\n#define {}_OUTPUT_COUNT {}\n#define {}_PRICE_COUNT {}\n\n",
                   upper, m.params.size(), upper, m.slots.size(), upper, m.prices.size());

  NameTable paramNames, outputNames, priceNames;
  h += "/* Parameter indices (nominal values: <model>_model.params[i].nominal). */\nenum {\n";
  for (size_t i = 0; i < m.params.size(); ++i)
    h += fmt::format("  {}_PARAM_{} = {}, /* {} */\n", upper,
                     paramNames.take(cIdentifier(m.params[i].name)), i,
                     commentString(m.params[i].unit.text));
  h += fmt::format("  {}_PARAM_END_ = {}\n}};\n\n", upper, m.params.size());
  h += "/* Output indices, in evaluation order. */\nenum {\n";
  for (size_t i = 0; i < m.slots.size(); ++i)
    h += fmt::format("  {}_OUT_{} = {}, /* {} */\n", upper,
                     outputNames.take(cIdentifier(m.slots[i].name)), i, commentString(m.slots[i].name));
  h += fmt::format("  {}_OUT_END_ = {}\n}};\n\n", upper, m.slots.size());
  h += "/* Rate-card price indices, for <model>_price. */\nenum {\n";
  for (size_t i = 0; i < m.prices.size(); ++i)
    h += fmt::format("  {}_PRICE_{} = {},\n", upper, priceNames.take(cIdentifier(m.prices[i].name)),
                     i);
  h += fmt::format("  {}_PRICE_END_ = {}\n}};\n\n", upper, m.prices.size());
  h += "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n";
  h += fmt::format("#endif /* CAMP_MODEL_{}_H */\n", upper);
  return h;
}

} // namespace camp::backend
