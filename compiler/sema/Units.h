// Dimensions (vectors of base-unit powers) and the unit table: currency, time units, count units.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace camp::sema {

/// Base units: 0 is the model's currency, 1 is time (canonical hour), 2.. are count units.
constexpr int kMoney = 0;
constexpr int kTime = 1;

/// A dimension: sorted (base, power) pairs with no zero powers. Empty is a plain number.
class Dim {
public:
  Dim() = default;
  static Dim base(int id, int power = 1);
  Dim operator*(const Dim &o) const;
  Dim operator/(const Dim &o) const;
  Dim pow(int n) const;
  bool canSqrt() const;
  Dim sqrt() const;
  bool none() const { return Powers.empty(); }
  bool operator==(const Dim &o) const { return Powers == o.Powers; }
  bool operator!=(const Dim &o) const { return Powers != o.Powers; }
  const std::vector<std::pair<int, int>> &powers() const { return Powers; }

private:
  std::vector<std::pair<int, int>> Powers;
};

/// One of a unit is `scale` canonical units of `dim` (1 month = 730 h: dim time, scale 730).
struct Unit {
  Dim dim;
  double scale = 1;
};

class UnitTable {
public:
  UnitTable();
  void setCurrency(const std::string &code);
  const std::string &currency() const { return BaseNames[kMoney]; }
  /// Declares a count unit; returns false if the name is a built-in unit.
  bool declareCount(const std::string &name);
  const Unit *find(const std::string &name) const;
  bool isBuiltin(const std::string &name) const;
  std::vector<std::string> names() const;
  /// "USD/h", "click/email", "USD*h", "a plain number" for none.
  std::string format(const Dim &d) const;
  /// The dimension in a marketer's words, after "must be" / "this is": "a plain number",
  /// "a rate per period such as `/month` or `/year`", "a duration …", else "in USD/h".
  std::string phrase(const Dim &d) const;
  Dim money() const { return Dim::base(kMoney); }

private:
  std::vector<std::string> BaseNames;
  std::map<std::string, Unit> Units;
};

} // namespace camp::sema
