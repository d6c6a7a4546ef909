// Ahead-of-time output: object files, shared libraries, LLVM IR and assembly of a model.
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "Backend.h"
#include "CodeGen.h"

extern char **environ;

namespace camp::backend {

namespace {

bool writeText(const std::string &path, const std::string &text, std::string &error) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (out)
    return true;
  error = "cannot write " + path;
  return false;
}

/// Runs a program with arguments (no shell), returning its exit status or -1.
int runProgram(const std::vector<std::string> &argv) {
  std::vector<char *> args;
  for (const std::string &a : argv)
    args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0)
    return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/// Lowers and optimises for this computer; position-independent so one object serves both
/// static linking and shared libraries.
struct Prepared {
  std::unique_ptr<llvm::LLVMContext> ctx;
  std::unique_ptr<llvm::Module> mod;
  std::unique_ptr<llvm::TargetMachine> tm;
};

bool prepare(const ir::Module &m, const std::string &ident, Prepared &out, std::string &error) {
  if (!validateModule(m, error))
    return false;
  Tier tier = tierFor(m, -1);
  out.tm = hostTargetMachine(true, tier, error);
  if (!out.tm)
    return false;
  out.ctx = std::make_unique<llvm::LLVMContext>();
  CodeGenOptions cg;
  cg.prefix = ident + "_";
  cg.withModelInfo = true;
  cg.vectoriseBatch = tier == Tier::Full;
  out.mod = lowerToLLVM(m, *out.ctx, cg);
  optimiseModule(*out.mod, *out.tm, tier);
  return true;
}

bool emitMachineCode(Prepared &p, const std::string &path, llvm::CodeGenFileType type,
                     std::string &error) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write " + path + ": " + ec.message();
    return false;
  }
  llvm::legacy::PassManager pm;
  if (p.tm->addPassesToEmitFile(pm, os, nullptr, type)) {
    error = "LLVM cannot write this kind of file for this computer";
    return false;
  }
  pm.run(*p.mod);
  os.flush();
  return true;
}

bool linkShared(const std::string &object, const std::string &library, std::string &error) {
  const char *cc = std::getenv("CC");
  std::string compiler = cc && *cc ? cc : "cc";
  // A SONAME of the file's own name: programs linked against it record `NAME.so`, not the path
  // it was linked from, and find it through their rpath or LD_LIBRARY_PATH wherever they run.
  std::string soname = std::filesystem::path(library).filename().string();
  int status = runProgram({compiler, "-shared", "-Wl,-soname," + soname, "-o", library, object, "-lm"});
  if (status == 0)
    return true;
  error = "linking " + library + " with `" + compiler + "` failed" +
          (status < 0 ? " (is a C compiler installed?)" : "");
  return false;
}

} // namespace

bool llvmIrText(const ir::Module &m, const std::string &name, std::string &out, std::string &error) {
  Prepared p;
  if (!prepare(m, cIdentifier(name), p, error))
    return false;
  llvm::raw_string_ostream os(out);
  p.mod->print(os, nullptr);
  os.flush();
  return true;
}

bool emitModule(const ir::Module &m, const std::string &dir, const std::string &name, EmitKind kind,
                std::string &error) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    error = "cannot create the directory " + dir + ": " + ec.message();
    return false;
  }
  std::string ident = cIdentifier(name);
  std::string base = dir + "/" + name;
  if (kind == EmitKind::Ir)
    return writeText(base + emitExtension(kind), ir::print(m), error);

  Prepared p;
  if (!prepare(m, ident, p, error))
    return false;
  bool ok = false;
  switch (kind) {
  case EmitKind::LlvmIr: {
    std::string text;
    llvm::raw_string_ostream os(text);
    p.mod->print(os, nullptr);
    os.flush();
    ok = writeText(base + ".ll", text, error);
    break;
  }
  case EmitKind::Asm:
    ok = emitMachineCode(p, base + ".s", llvm::CodeGenFileType::AssemblyFile, error);
    break;
  case EmitKind::Object:
    ok = emitMachineCode(p, base + ".o", llvm::CodeGenFileType::ObjectFile, error);
    break;
  case EmitKind::Shared: {
    std::string object = base + ".so.o";
    ok = emitMachineCode(p, object, llvm::CodeGenFileType::ObjectFile, error) &&
         linkShared(object, base + ".so", error);
    std::remove(object.c_str());
    break;
  }
  case EmitKind::Ir:
    break;
  }
  return ok && writeText(base + ".h", cHeader(m, name), error);
}

} // namespace camp::backend
