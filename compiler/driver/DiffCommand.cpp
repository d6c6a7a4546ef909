// `camp diff OLD NEW` and `camp diff --git REV [FILE...]`: the cost impact of a change to a model.
// Compiled only when camp_tooling is linked into the driver (it defines CAMP_HAVE_TOOLING).
#ifdef CAMP_HAVE_TOOLING
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sys/wait.h>

#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "camp/Report.h"
#include "camp/Results.h"
#include "syntax/Tokens.h"
#include "tooling/Diff.h"
#include "Uncertainty.h"
#include "analyses/Console.h"

namespace fs = std::filesystem;

namespace camp::driver {

namespace {

struct DiffOptions {
  std::vector<std::string> files;
  std::string gitRev;
  std::string format = "text";
  double failAbove = -1;
  bool failAboveSet = false;
  std::string engine = "auto";
  PairedCliOptions paired;          // --samples, --seed, --probability
  std::string probability;
};

/// A compiled and evaluated model, kept alive together (the result points into the module).
struct Evaluated {
  std::unique_ptr<LoadedModel> model;
  runtime::RunResult run;
};

std::unique_ptr<Evaluated> evaluateFile(const std::string &path, const std::string &engineName) {
  auto ev = std::make_unique<Evaluated>();
  ev->model = loadModel(path);
  if (!ev->model)
    return nullptr;
  auto engine = makeEngine(ev->model->module(), engineName);
  if (!engine)
    return nullptr;
  const ir::Module &m = ev->model->module();
  ev->run = runtime::evaluate(m, *engine, runtime::scenarioParams(m, -1), "base");
  if (ev->run.error) {
    reportEvalError(*ev->model, *ev->run.error, "base");
    printDiagnostics(ev->model->diags, "text");
    setExitCode(1);
    return nullptr;
  }
  return ev;
}

std::string shellQuote(const std::string &s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs a command; its standard output, and whether it exited with 0.
bool capture(const std::string &command, std::string &out) {
  out.clear();
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return false;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    out.append(buf.data(), n);
  int status = pclose(pipe);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::vector<std::string> splitLines(const std::string &s) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    std::string line = s.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty())
      lines.push_back(line);
    if (nl == std::string::npos)
      break;
    start = nl + 1;
  }
  return lines;
}

/// The .camp files of the repository as they were at a revision, written under a temporary
/// folder at their repository paths, so that relative imports resolve at that revision.
class OldTree {
public:
  ~OldTree() {
    std::error_code ec;
    if (!Dir.empty())
      fs::remove_all(Dir, ec);
  }

  bool materialise(const std::string &rev) {
    std::string out;
    if (!capture("git rev-parse --show-toplevel 2>/dev/null", out)) {
      commandLineError("`--git` needs to run inside a git repository", "cd into the repository first");
      return false;
    }
    Top = fs::path(out.substr(0, out.find('\n')));
    if (!capture(fmt::format("git rev-parse --verify --quiet {} 2>/dev/null", shellQuote(rev + "^{commit}")), out)) {
      commandLineError(fmt::format("git does not know the revision `{}`", rev), "try HEAD~1, a branch or a commit id");
      return false;
    }
    std::string tmpl = (fs::temp_directory_path() / "camp-diff-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
      commandLineError("cannot create a temporary folder for the old revision");
      return false;
    }
    Dir = tmpl;
    std::string git = fmt::format("git -C {} ", shellQuote(Top.string()));
    capture(git + fmt::format("ls-tree -r --name-only {} 2>/dev/null", shellQuote(rev)), out);
    for (const std::string &path : splitLines(out)) {
      if (path.size() < 5 || path.substr(path.size() - 5) != ".camp")
        continue;
      std::string text;
      if (!capture(git + fmt::format("show {} 2>/dev/null", shellQuote(rev + ":" + path)), text))
        continue;
      fs::path target = fs::path(Dir) / path;
      std::error_code ec;
      fs::create_directories(target.parent_path(), ec);
      std::ofstream(target, std::ios::binary) << text;
    }
    return true;
  }

  /// The repository-relative path of a file named on the command line.
  std::string repoPath(const std::string &file) const {
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(fs::absolute(file), ec);
    return fs::relative(abs, fs::weakly_canonical(Top, ec), ec).generic_string();
  }

  std::string oldPath(const std::string &repoRel) const { return (fs::path(Dir) / repoRel).string(); }

  /// Tracked models: .camp files declaring a pipeline.
  std::vector<std::string> trackedModels() const {
    std::string out;
    capture("git ls-files -- '*.camp' 2>/dev/null", out);
    std::vector<std::string> models;
    for (const std::string &f : splitLines(out)) {
      std::ifstream in(f);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto toks = syntax::tokenize(text);
      if (std::any_of(toks.begin(), toks.end(), [](const syntax::Token &t) { return t.isKeyword("pipeline"); }))
        models.push_back(f);
    }
    return models;
  }

private:
  fs::path Top;
  std::string Dir;
};

bool readable(const std::string &path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

void print(const tooling::ModelDelta &d, const std::string &format, bool first, bool last, bool many) {
  if (format == "json") {
    if (many)
      fmt::print("{}", first ? "[\n" : ",\n");
    std::string json = tooling::renderDiffJson(d);
    if (many)
      json.pop_back(); // the array adds its own separators
    fmt::print("{}", json);
    if (many && last)
      fmt::print("\n]\n");
    return;
  }
  if (!first)
    fmt::print("\n");
  fmt::print("{}", format == "markdown" ? tooling::renderDiffMarkdown(d) : tooling::renderDiffText(d));
}

/// Compares one pair; nullopt when either side could not be compiled or evaluated.
std::optional<tooling::ModelDelta> compare(const std::string &oldPath, const std::string &newPath, const std::string &shown,
                                           const std::string &engine) {
  std::unique_ptr<Evaluated> o, n;
  if (readable(oldPath)) {
    o = evaluateFile(oldPath, engine);
    if (!o)
      return std::nullopt;
  }
  if (readable(newPath)) {
    n = evaluateFile(newPath, engine);
    if (!n)
      return std::nullopt;
  }
  tooling::ModelDelta d = tooling::diffResults(o ? &o->run : nullptr, n ? &n->run : nullptr);
  d.file = shown;
  return d;
}

void runDiff(const DiffOptions &opts) {
  std::vector<std::pair<std::string, std::string>> pairs; // old path, new path
  std::vector<std::string> shown;
  OldTree tree;
  if (!opts.gitRev.empty()) {
    if (!tree.materialise(opts.gitRev))
      return;
    std::vector<std::string> files = opts.files.empty() ? tree.trackedModels() : opts.files;
    for (const std::string &f : files) {
      std::string rel = tree.repoPath(f);
      pairs.push_back({tree.oldPath(rel), f});
      shown.push_back(f);
    }
  } else {
    if (opts.files.size() != 2) {
      commandLineError("`camp diff` compares two files: camp diff OLD NEW", "or use `camp diff --git REV [FILE...]`");
      return;
    }
    for (const std::string &f : opts.files)
      if (!readable(f)) {
        commandLineError(fmt::format("cannot read `{}`", f), "check the file name");
        return;
      }
    pairs.push_back({opts.files[0], opts.files[1]});
    shown.push_back(opts.files[1]);
  }
  PairedCliOptions paired = opts.paired;
  paired.engine = opts.engine;
  if (!opts.probability.empty()) {
    double share = 0;
    if (!opts.failAboveSet || !opts.paired.samples || !analyses::parsePlainNumber(opts.probability, share) ||
        share < 0 || share > 1) {
      commandLineError("--probability needs --fail-above AMOUNT and --samples N, and a share such as 20%",
                       "e.g. camp diff old.camp new.camp --samples 10000 --fail-above 5000 --probability 20%");
      return;
    }
    paired.failAbove = opts.failAbove;
    paired.probability = share;
  }
  std::vector<std::pair<std::string, double>> exceeded; // pipeline, share of samples above
  std::vector<tooling::ModelDelta> deltas;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (!readable(pairs[i].second) && !readable(pairs[i].first)) {
      commandLineError(fmt::format("`{}` exists neither now nor at {}", shown[i], opts.gitRev));
      continue;
    }
    if (auto d = compare(pairs[i].first, pairs[i].second, shown[i], opts.engine))
      deltas.push_back(std::move(*d));
    if (opts.paired.samples && !deltas.empty() && deltas.back().file == shown[i] && readable(pairs[i].first) &&
        readable(pairs[i].second) && !addUncertainty(deltas.back(), pairs[i].first, pairs[i].second, paired, exceeded))
      return;
  }
  for (size_t i = 0; i < deltas.size(); ++i)
    print(deltas[i], opts.format, i == 0, i + 1 == deltas.size(), deltas.size() > 1);
  std::fflush(stdout);
  if (!opts.failAboveSet)
    return;
  if (paired.probability >= 0) {
    for (auto &[name, share] : exceeded) {
      fmt::print(stderr,
                 "camp diff: the cost of pipeline `{}` rises by more than {} in {:.1f} % of samples, more than the "
                 "{:.1f} % allowed\n",
                 name, runtime::formatMoney(opts.failAbove), 100 * share, 100 * paired.probability);
      setExitCode(1);
    }
    return;
  }
  for (const tooling::ModelDelta &d : deltas)
    for (auto &[name, rise] : tooling::costRisesAbove(d, opts.failAbove)) {
      fmt::print(stderr, "camp diff: the cost of pipeline `{}` rises by {:.2f}%, more than the {}% allowed\n", name, rise,
                 opts.failAbove);
      setExitCode(1);
    }
}

} // namespace

CAMP_REGISTER_COMMAND(62, [](CLI::App &app) {
  auto opts = std::make_shared<DiffOptions>();
  CLI::App *sub = app.add_subcommand("diff", "Show what a change to a model does to cost, revenue, profit and ROI");
  sub->footer("Compares the base case of two versions: per pipeline the change in cost, revenue, profit and ROI,\n"
              "per stage and cost line the deltas, lines and stages added or removed, and params changed.\n"
              "With --git REV the old version is each file as committed at REV (its imports too).\n"
              "--fail-above PCT exits 1 when a pipeline's cost rises by more than PCT percent.\n"
              "--samples N adds the change under uncertainty (common random numbers: a param both versions\n"
              "declare gets the same draw in every sample); --fail-above AMOUNT --probability P then fails\n"
              "when the cost rises by more than AMOUNT in more than P of the samples.\n\n"
              "Examples:\n"
              "  camp diff old.camp new.camp\n"
              "  camp diff --git HEAD~1 model.camp --format markdown\n"
              "  camp diff --git origin/main --fail-above 5\n"
              "  camp diff old.camp new.camp --samples 10000 --format markdown\n"
              "  camp diff old.camp new.camp --samples 10000 --fail-above 5000 --probability 20%");
  sub->add_option("files", opts->files, "OLD NEW, or with --git the files to compare (default: every tracked model)");
  sub->add_option("--git", opts->gitRev, "Compare each FILE with its version at this git revision")->type_name("REV");
  sub->add_option("--format", opts->format, "text, markdown (for a pull-request comment) or json (camp.diff/1)")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  sub->add_option("--fail-above", opts->failAbove, "Exit 1 when a pipeline's cost rises by more than PCT percent")
      ->type_name("PCT")
      ->check(CLI::NonNegativeNumber)
      ->each([opts](const std::string &) { opts->failAboveSet = true; });
  sub->add_option("--engine", opts->engine, "Evaluator: auto (JIT when available), jit, interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  sub->add_option("--samples", opts->paired.samples,
                  "Also compare the versions under uncertainty: N paired samples, the same draws for params of "
                  "the same name; per pipeline P10/P50/P90 of old, new and the change, and P(change > 0)")
      ->check(CLI::Range(uint64_t(1), uint64_t(1) << 32));
  sub->add_option("--seed", opts->paired.seed, "Seed of the paired draws (default 1)");
  sub->add_option("--threads,-j", opts->paired.threads, "Threads for --samples (default: every core)");
  sub->add_option("--probability", opts->probability,
                  "With --samples: --fail-above AMOUNT (in the currency) fails when the cost rises by more than "
                  "AMOUNT in more than this share of samples, e.g. --fail-above 5000 --probability 20%")
      ->type_name("SHARE");
  sub->callback([opts] { runDiff(*opts); });
});

} // namespace camp::driver

#endif // CAMP_HAVE_TOOLING
