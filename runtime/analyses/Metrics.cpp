// Small helpers shared by analysis commands: metric slots, default metrics, pinned params.
#include "analyses/Metrics.h"

#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

#include "base/Strings.h"

namespace camp::analyses {
std::string metricLetName(size_t k) { return fmt::format("__metric{}", k); }

std::vector<NamedSlot> defaultMetrics(const ir::Module &m) {
  std::vector<NamedSlot> out;
  for (const ir::Pipeline &p : m.pipelines) {
    out.push_back({p.name + ".cost", p.costSlot});
    out.push_back({p.name + ".revenue", p.revenueSlot});
    out.push_back({p.name + ".profit", p.profitSlot});
    out.push_back({p.name + ".roi", p.roiSlot});
  }
  return out;
}

std::vector<bool> pinnedParams(const ir::Module &m, const std::string &scenario,
                               const std::vector<std::string> &sets) {
  std::vector<bool> pinned(m.params.size(), false);
  if (!scenario.empty()) {
    int32_t s = m.findScenario(scenario);
    if (s >= 0)
      for (auto &[param, value] : m.scenarios[size_t(s)].overrides)
        pinned[size_t(param)] = true;
  }
  for (const std::string &set : sets) {
    auto assignment = splitAssignment(set);
    int32_t p = assignment ? m.findParam(assignment->first) : -1;
    if (p >= 0)
      pinned[size_t(p)] = true;
  }
  return pinned;
}

bool parsePlainNumber(const std::string &text, double &value) {
  std::string digits;
  for (char c : text)
    if (c != '_' && c != ' ')
      digits += c;
  bool percent = !digits.empty() && digits.back() == '%';
  if (percent)
    digits.pop_back();
  if (digits.empty())
    return false;
  char *end = nullptr;
  value = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size())
    return false;
  if (percent)
    value *= 0.01;
  return true;
}

} // namespace camp::analyses
