// Dimension arithmetic and the built-in units (time converts: 1 month = 730 h, 1 year = 12 months).
#include "sema/Units.h"

#include <algorithm>

namespace camp::sema {

Dim Dim::base(int id, int power) {
  Dim d;
  if (power != 0)
    d.Powers.push_back({id, power});
  return d;
}

static Dim combine(const Dim &a, const Dim &b, int sign) {
  std::map<int, int> m;
  for (auto [id, p] : a.powers())
    m[id] += p;
  for (auto [id, p] : b.powers())
    m[id] += sign * p;
  Dim out;
  for (auto [id, p] : m)
    if (p != 0)
      out = out * Dim::base(id, p);
  return out;
}

Dim Dim::operator*(const Dim &o) const {
  if (o.none())
    return *this;
  if (none())
    return o;
  Dim out = *this;
  for (auto [id, p] : o.Powers) {
    auto it = std::find_if(out.Powers.begin(), out.Powers.end(), [&](auto &e) { return e.first == id; });
    if (it == out.Powers.end()) {
      out.Powers.push_back({id, p});
      continue;
    }
    it->second += p;
    if (it->second == 0)
      out.Powers.erase(it);
  }
  std::sort(out.Powers.begin(), out.Powers.end());
  return out;
}

Dim Dim::operator/(const Dim &o) const { return combine(*this, o, -1); }

Dim Dim::pow(int n) const {
  Dim out;
  if (n == 0)
    return out;
  out.Powers = Powers;
  for (auto &e : out.Powers)
    e.second *= n;
  return out;
}

bool Dim::canSqrt() const {
  return std::all_of(Powers.begin(), Powers.end(), [](auto &e) { return e.second % 2 == 0; });
}

Dim Dim::sqrt() const {
  Dim out = *this;
  for (auto &e : out.Powers)
    e.second /= 2;
  return out;
}

UnitTable::UnitTable() {
  BaseNames = {"", "h"};
  Dim t = Dim::base(kTime);
  Units["minute"] = {t, 1.0 / 60};
  Units["h"] = {t, 1};
  Units["day"] = {t, 24};
  Units["week"] = {t, 24 * 7};
  Units["month"] = {t, 730};
  Units["quarter"] = {t, 730 * 3};
  Units["year"] = {t, 8760};
}

void UnitTable::setCurrency(const std::string &code) {
  BaseNames[kMoney] = code;
  Units[code] = {Dim::base(kMoney), 1};
}

bool UnitTable::declareCount(const std::string &name) {
  auto it = Units.find(name);
  if (it != Units.end())
    return it->second.dim.powers().size() == 1 && it->second.dim.powers()[0].first > kTime;
  BaseNames.push_back(name);
  Units[name] = {Dim::base(int(BaseNames.size()) - 1), 1};
  return true;
}

const Unit *UnitTable::find(const std::string &name) const {
  auto it = Units.find(name);
  return it == Units.end() ? nullptr : &it->second;
}

bool UnitTable::isBuiltin(const std::string &name) const {
  const Unit *u = find(name);
  return u && (u->dim.powers()[0].first <= kTime);
}

std::vector<std::string> UnitTable::names() const {
  std::vector<std::string> v;
  for (auto &[name, u] : Units)
    v.push_back(name);
  return v;
}

std::string UnitTable::format(const Dim &d) const {
  if (d.none())
    return "a plain number";
  auto term = [&](int id, int p) {
    std::string s = BaseNames[size_t(id)].empty() ? "money" : BaseNames[size_t(id)];
    return p == 1 ? s : s + "^" + std::to_string(p);
  };
  std::vector<std::string> num, den;
  for (auto [id, p] : d.powers())
    (p > 0 ? num : den).push_back(term(id, p > 0 ? p : -p));
  auto join = [](const std::vector<std::string> &v) {
    std::string s;
    for (const auto &x : v)
      s += (s.empty() ? "" : "*") + x;
    return s;
  };
  std::string out = num.empty() ? "1" : join(num);
  if (den.empty())
    return out;
  return out + "/" + (den.size() == 1 ? den[0] : "(" + join(den) + ")");
}

std::string UnitTable::phrase(const Dim &d) const {
  if (d.none())
    return "a plain number";
  if (d == Dim() / Dim::base(kTime))
    return "a rate per period such as `/month` or `/year`";
  if (d == Dim::base(kTime))
    return "a duration such as `h`, `day` or `month`";
  return "in " + format(d);
}

} // namespace camp::sema
