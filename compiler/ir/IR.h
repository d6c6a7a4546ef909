// The evaluation IR: a checked, unit-free model as numbered slots of arithmetic over params.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace camp::ir {

enum class Op : uint8_t {
#define CAMP_IR_OP(Name, Arity, Spelling) Name,
#include "ir/Ops.def"
};

const char *opName(Op op);
int opArity(Op op);

/// One node of an expression tree. Trees live in Module::nodes and refer to children by index;
/// a child always has a smaller index than its parent (the arena is in post-order).
struct Node {
  Op op = Op::Const;
  int32_t index = -1;  // Param/Slot/CallPrice target; PowInt exponent
  int32_t a = -1, b = -1, c = -1;
  int32_t loc = -1;    // into Module::locs: where an evaluation error here is reported
  double num = 0;      // Const
};

/// A source position kept for run-time errors and reports (the IR knows nothing of files).
struct Loc {
  std::string file;    // path as the user wrote/saw it
  int line = 0, column = 0, endColumn = 0;
};

/// How a value is shown: `value_in_unit = canonical / scale`, labelled `text`.
/// Canonical units: the currency for money, hours for time, one of each count unit.
struct DisplayUnit {
  std::string text;    // "USD", "USD/h", "email", "" for a plain number
  double scale = 1.0;
  bool isMoney = false; // exactly the currency
  bool isPercentLike = false; // dimensionless, written with %
  bool percent = false;       // written with % (also with a unit: `2% order/click`)
};

enum class DistKind : uint8_t { None, Uniform, Triangular, Pert, Normal, Lognormal, Beta, Discrete };

struct Distribution {
  DistKind kind = DistKind::None;
  std::vector<double> args;     // canonical units, in the order written (discrete: values)
  std::vector<double> weights;  // discrete only: probabilities, summing to 1
};

struct Param {
  std::string name;
  std::string doc;
  double nominal = 0;           // canonical
  DisplayUnit unit;             // the unit written after the value
  std::optional<std::pair<double, double>> range; // canonical [lo, hi]
  Distribution dist;
  int32_t loc = -1;
};

enum class SlotKind : uint8_t {
  Let, Fee, CostLine, RevenueLine, StageOutput, StageCost, PipelineCategory, PipelineCost,
  PipelineRevenue, PipelineProfit, PipelineRoi, AssertCond, AssertSide,
  BilledQuantity, // a metered line's quantity, or one price's pooled quantity in a pipeline run
  Bill,           // one price's pooled bill in a pipeline run
  PriceTerm       // a contract term's value (allowance, bound, minimum, commitment …) for reports
};

/// A computed value. Slots are in evaluation order: a slot's tree reads only earlier slots.
struct Slot {
  std::string name;             // "emails", "spring.cost", "spring.execute.cost", "#line3"
  SlotKind kind = SlotKind::Let;
  int32_t root = -1;            // node index
  int32_t loc = -1;             // a non-finite result is an error reported here
  bool mayBeUndefined = false;  // ROI of a zero-cost pipeline: NaN is reported, not an error
  DisplayUnit unit;
};

enum class PriceKind : uint8_t { Flat, Graduated, Volume, Package };
enum class BillingPeriod : uint8_t { Monthly, Yearly };

/// One line of a tier table; every field is a PriceTerm slot (-1: not written).
struct PriceTier {
  int32_t bound = -1;           // -1 for `above:`
  int32_t rate = -1;
  int32_t fee = -1;             // `plus F`
};

/// A rate-card price: a function of one quantity (Op::Arg) in `argUnit`. `root` is the whole
/// bill as lowered arithmetic (what engines run); the fields below are its structure, for analyses
/// and reports, each a PriceTerm slot holding the term's value (-1: the term is not written).
struct Price {
  std::string name;             // "esp.send"
  int32_t root = -1;
  int32_t grossRoot = -1;       // the bill without its minimum (capped at the maximum): yearly billing
  DisplayUnit argUnit;
  int32_t loc = -1;
  int32_t ratecard = -1;        // index into Module::ratecards
  PriceKind kind = PriceKind::Flat;
  BillingPeriod period = BillingPeriod::Monthly;
  std::vector<PriceTier> tiers; // Graduated, Volume
  int32_t rate = -1;            // Flat: rate per unit; Package: price of one package
  int32_t packageSize = -1;
  int32_t included = -1;        // `after A included`
  int32_t discount = -1, minimum = -1, maximum = -1;
  bool hasAllowance() const { return included >= 0; }
};

/// `commit A per year|month [overage P]` on a rate card's metered usage.
struct Commit {
  int32_t amount = -1;          // PriceTerm slot, in the currency
  int32_t overage = -1;         // PriceTerm slot, a fraction; -1: no premium
  int months = 12;              // the commitment's period
  int32_t loc = -1;
};

struct Ratecard {
  std::string name, title;
  int32_t discount = -1;        // PriceTerm slot, a fraction; -1: none
  int contractYear = 0, contractMonth = 0; // `contract from`; month 0: from the forecast's start
  std::optional<Commit> commit;
  std::vector<int32_t> fees;    // Fee slots
  std::vector<int32_t> prices;  // indices into Module::prices
};

struct CostLine {
  std::string category, label;
  int32_t slot = -1;
  int32_t meteredPrice = -1;    // the line is exactly one price call: prices[meteredPrice](quantitySlot)
  int32_t quantitySlot = -1;
  int32_t loc = -1;
  std::vector<int32_t> fees;    // Fee slots its expression refers to: an allocation of those fees
};

/// One price billed in one pipeline run: the pooled quantity of its metered lines and the bill
/// they share in proportion to quantity (LANGUAGE.md, "Billing").
struct Bill {
  int32_t price = -1;
  int32_t quantitySlot = -1;    // Q, the summed quantity
  int32_t costSlot = -1;        // the price applied once to Q
  int32_t lines = 0;
};

struct Stage {
  std::string name, title;
  std::vector<int32_t> inputs;  // stage indices in the same pipeline
  std::vector<CostLine> lines;
  int32_t costSlot = -1;
  int32_t outputSlot = -1;      // -1: no output
};

struct RevenueLine {
  std::string label;
  int32_t slot = -1;
  int32_t loc = -1;
};

struct Pipeline {
  std::string name, title;
  std::vector<Stage> stages;    // declaration order
  std::vector<RevenueLine> revenue;
  std::vector<int32_t> categorySlots; // parallel to Module::categories
  int32_t costSlot = -1, revenueSlot = -1, profitSlot = -1, roiSlot = -1;
  std::vector<std::pair<std::string, int32_t>> lets; // pipeline-local lets: name, slot
  std::vector<Bill> bills;      // one per price metered in a run of this pipeline
};

struct Assert {
  std::string text, message;
  int32_t condSlot = -1;
  int32_t lhsSlot = -1, rhsSlot = -1; // both sides of a top-level comparison, else -1
  std::string op;               // "<=", … or ""
  int32_t loc = -1;
};

struct Scenario {
  std::string name, title;
  std::vector<std::pair<int32_t, double>> overrides; // param index, canonical value
  int32_t loc = -1;
};

struct ForecastRun {
  int32_t pipeline = -1;
  double perMonth = 0;          // runs per month at month 0 (rate converted to /month)
  double growth = 0;            // g as written: `growth 30%/year` is 0.30 ...
  double growthPeriodMonths = 12; // ... per 12 months, so month m runs (1 + g)^(m / 12) times more
  double season[12] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  int32_t loc = -1;
};

struct Budget {
  std::string label;
  double amount = 0;            // in the currency
  bool perYear = false;         // years counted from the forecast's first month
  int32_t loc = -1;
};

struct Forecast {
  std::string name, title;
  int startYear = 0, startMonth = 1, endYear = 0, endMonth = 1;
  std::vector<ForecastRun> runs;
  std::vector<Budget> budgets;
  int32_t loc = -1;
};

/// A whole checked model, ready to evaluate (interpreter) or compile (LLVM backend).
/// `correlate a, b = r`: the rank correlation asked for between two params' draws.
struct Correlation {
  int32_t a = -1, b = -1;       // params
  double r = 0;                 // Spearman, in [-1, 1]
  int32_t loc = -1;
};

struct Module {
  std::string title, currency;
  std::vector<std::string> categories;  // built-ins first, then declared
  std::vector<Param> params;
  std::vector<Node> nodes;
  std::vector<Slot> slots;
  std::vector<Price> prices;
  std::vector<Ratecard> ratecards;
  std::vector<Pipeline> pipelines;
  std::vector<std::pair<std::string, int32_t>> values; // top-level lets and fees shown in reports
  std::vector<Assert> asserts;
  std::vector<Scenario> scenarios;
  std::vector<Forecast> forecasts;
  std::vector<Correlation> correlations; // in the order written
  std::vector<Loc> locs;

  int32_t findParam(const std::string &name) const;
  int32_t findScenario(const std::string &name) const;
  int32_t findSlot(const std::string &name) const;
  std::vector<double> nominalParams() const;
};

/// Prints the IR as text (`camp build --emit ir`), one slot per line.
std::string print(const Module &m);

} // namespace camp::ir
