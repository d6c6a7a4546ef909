// `camp build FILE -o DIR`: compile a model ahead of time into a library or object plus a C header.
#include <filesystem>

#include <fmt/format.h>

#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"

#ifdef CAMP_HAVE_LLVM
#include "backend/Backend.h"
#endif

namespace camp::driver {

namespace {

struct BuildOptions {
  std::string file, outDir, emit = "shared", name, diagnosticsFormat = "text";
};

/// The file's stem ("multichannel" for models/multichannel.camp): the default symbol prefix.
std::string defaultName(const std::string &file) {
  std::string stem = std::filesystem::path(file).stem().string();
  return stem.empty() ? "model" : stem;
}

void runBuild(const BuildOptions &opts) {
  LoadOptions lo;
  lo.diagnosticsFormat = opts.diagnosticsFormat;
  auto model = loadModel(opts.file, lo);
  if (!model)
    return;
  std::string name = opts.name.empty() ? defaultName(opts.file) : opts.name;
#ifdef CAMP_HAVE_LLVM
  std::optional<backend::EmitKind> kind = backend::parseEmitKind(opts.emit);
  if (!kind) {
    commandLineError(fmt::format("`{}` is not something camp build can write", opts.emit),
                     "use --emit shared, obj, llvm-ir, asm or ir");
    return;
  }
  std::string error;
  if (!backend::emitModule(model->module(), opts.outDir, name, *kind, error)) {
    commandLineError(error);
    return;
  }
  std::string base = opts.outDir + "/" + name;
  if (*kind == backend::EmitKind::Ir)
    fmt::print("wrote {}.ir\n", base);
  else
    fmt::print("wrote {}{} and {}.h (symbols {}_eval, {}_eval_batch, {}_model)\n", base,
               backend::emitExtension(*kind), base, backend::cIdentifier(name),
               backend::cIdentifier(name), backend::cIdentifier(name));
#else
  commandLineError("this camp was built without LLVM, so it cannot compile models to native code",
                   "rebuild camp with -DCAMP_WITH_LLVM=ON");
  (void)name;
#endif
}

} // namespace

CAMP_REGISTER_COMMAND(60, [](CLI::App &app) {
  auto opts = std::make_shared<BuildOptions>();
  CLI::App *sub = app.add_subcommand("build", "Compile a model to native code with a C interface");
  sub->footer(
      "Writes DIR/NAME.so (or .o, .ll, .s) and DIR/NAME.h. The header documents the C ABI:\n"
      "NAME_eval(params, outputs) evaluates one parameter vector, NAME_eval_batch evaluates many,\n"
      "and NAME_model describes the params and outputs (names, units, nominal values, counts).\n"
      "Code is generated for this computer's CPU.\n\n"
      "Examples:\n"
      "  camp build examples/multichannel.camp -o out\n"
      "  cc -o report report.c -Iout out/multichannel.so -Wl,-rpath,'$ORIGIN/out' -lm\n"
      "  (the library's SONAME is its file name: the program finds it through its rpath or\n"
      "  LD_LIBRARY_PATH from any folder)\n"
      "  camp build model.camp -o out --emit llvm-ir     # look at the vectorised batch loop");
  sub->add_option("file", opts->file, "The .camp model to compile")->required();
  sub->add_option("-o,--output", opts->outDir, "Directory to write into (created if missing)")->required();
  sub->add_option("--emit", opts->emit, "What to write: shared (default), obj, llvm-ir, asm, ir")
      ->check(CLI::IsMember({"shared", "obj", "llvm-ir", "asm", "ir"}));
  sub->add_option("--name", opts->name,
                  "Prefix of the file names and C symbols (default: the model file's name)");
  sub->add_option("--diagnostics-format", opts->diagnosticsFormat, "text (for people) or json (for tools)")
      ->check(CLI::IsMember({"text", "json"}));
  sub->callback([opts] { runBuild(*opts); });
});

} // namespace camp::driver
