// Ahead-of-time tests: shared objects loaded with dlopen, the C header compiled by `cc`.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "IrBuilder.h"
#include "backend/Backend.h"
#include "camp/camp.h"

using namespace camp;
using camp::ir::Op;
using camp::test::IrBuilder;

namespace {

std::string tmpDir(const std::string &leaf) {
  std::string dir = std::string(CAMP_TEST_TMP) + "/" + leaf;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// params hours = 16, rate = 80; outputs: labor = 1280, overhead = labor / 4 = 320, total = 1600.
IrBuilder smallModel() {
  IrBuilder b;
  b.m.title = "Small \"AOT\" model";
  b.m.currency = "USD";
  int32_t hours = b.param("hours", 16), rate = b.param("rate", 80);
  b.m.params[1].unit.text = "USD/h";
  b.slot("spring.labor", b.node(Op::Mul, b.p(hours), b.p(rate)));
  b.slot("spring.overhead", b.node(Op::Div, b.s(0), b.num(4)));
  b.slot("spring.cost", b.node(Op::Add, b.s(0), b.s(1)));
  return b;
}

} // namespace

TEST_CASE("a shared object exports the model, its metadata and its kernels", "[aot]") {
  IrBuilder b = smallModel();
  std::string dir = tmpDir("shared"), error;
  REQUIRE(backend::emitModule(b.m, dir, "small", backend::EmitKind::Shared, error));
  REQUIRE(std::filesystem::exists(dir + "/small.h"));
  void *lib = dlopen((dir + "/small.so").c_str(), RTLD_NOW | RTLD_LOCAL);
  INFO(dlerror());
  REQUIRE(lib);
  auto *model = static_cast<const camp_model *>(dlsym(lib, "small_model"));
  REQUIRE(model);
  CHECK(model->abi_version == CAMP_ABI_VERSION);
  CHECK(model->param_count == 2);
  CHECK(model->output_count == 3);
  CHECK(std::string(model->title) == "Small \"AOT\" model");
  CHECK(std::string(model->params[1].name) == "rate");
  CHECK(std::string(model->params[1].unit) == "USD/h");
  CHECK(model->params[0].nominal == 16.0);
  CHECK(std::isnan(model->params[0].range_lo));
  CHECK(std::string(model->outputs[2].name) == "spring.cost");
  CHECK(std::string(model->outputs[2].kind) == "let");
  double params[] = {16, 80}, out[3];
  REQUIRE(model->eval(params, out) == CAMP_OK);
  CHECK(out[0] == 1280.0);
  CHECK(out[1] == 320.0);
  CHECK(out[2] == 1600.0);
  // Batch: hours per sample, rate fixed.
  double hours[] = {1, 2, 3};
  const double *cols[] = {hours, nullptr};
  double total[3];
  double *outs[] = {nullptr, nullptr, total};
  int64_t errors[3];
  model->eval_batch(3, cols, params, outs, errors);
  CHECK(errors[0] == CAMP_OK);
  CHECK(total[0] == 100.0); // 80 + 20
  CHECK(total[2] == 300.0);
  dlclose(lib);
}

TEST_CASE("the other emit kinds write their files", "[aot]") {
  IrBuilder b = smallModel();
  std::string dir = tmpDir("kinds"), error;
  for (auto kind : {backend::EmitKind::Object, backend::EmitKind::LlvmIr, backend::EmitKind::Asm,
                    backend::EmitKind::Ir}) {
    REQUIRE(backend::emitModule(b.m, dir, "small", kind, error));
    CHECK(std::filesystem::file_size(dir + "/small" + backend::emitExtension(kind)) > 0);
  }
  std::ifstream ll(dir + "/small.ll");
  std::string text((std::istreambuf_iterator<char>(ll)), std::istreambuf_iterator<char>());
  CHECK(text.find("i64 @small_eval(") != std::string::npos);
  CHECK(text.find("@small_model") != std::string::npos);
}

TEST_CASE("the batch loop is vectorised", "[aot]") {
  IrBuilder b = smallModel();
  std::string text, error;
  REQUIRE(backend::llvmIrText(b.m, "small", text, error));
  CHECK(text.find("<4 x double>") + text.find("<8 x double>") + text.find("<2 x double>") !=
        3 * std::string::npos);
}

TEST_CASE("a C program links the object and prints the model's figures", "[aot]") {
  IrBuilder b = smallModel();
  std::string dir = tmpDir("cprog"), error;
  REQUIRE(backend::emitModule(b.m, dir, "small", backend::EmitKind::Object, error));
  std::ofstream(dir + "/main.c") << R"(#include <stdio.h>
#include "small.h"
int main(void) {
  double params[SMALL_PARAM_COUNT], out[SMALL_OUTPUT_COUNT];
  for (int i = 0; i < small_model.param_count; ++i) params[i] = small_model.params[i].nominal;
  params[SMALL_PARAM_hours] = 10;
  int64_t code = small_eval(params, out);
  printf("%lld %.17g %.17g\n", (long long)code, out[SMALL_OUT_spring_cost], out[SMALL_OUT_spring_labor]);
  return code == CAMP_OK ? 0 : 1;
}
)";
  std::string cmd = "cc -std=c99 -Wall -Werror -o " + dir + "/prog " + dir + "/main.c " + dir +
                    "/small.o -lm > " + dir + "/cc.log 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  REQUIRE(std::system((dir + "/prog > " + dir + "/out.txt").c_str()) == 0);
  std::ifstream in(dir + "/out.txt");
  long long code = 0;
  double cost = 0, labor = 0;
  in >> code >> cost >> labor;
  CHECK(code == -1);
  CHECK(labor == 800.0); // 10 h * 80
  CHECK(cost == 1000.0); // 800 + 800 / 4
}
