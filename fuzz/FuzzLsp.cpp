// libFuzzer target `camp_fuzz_lsp`: bytes → JSON-RPC messages → `camp lsp`'s message loop
// (lsp::serve, its worker thread and every handler). Promises: no crash, no hang (libFuzzer's
// -timeout), every message written is framed and valid JSON-RPC, and every request gets exactly
// one response.
//
// Input: each line is one message body, framed by the target with a correct Content-Length, so
// mutations reach the handlers; an input that starts with "Content-Length" is fed as it is, so
// the framing code is fuzzed too. Seeds: .ci/fuzz-lsp-seeds (sessions over the examples).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "FuzzCommon.h"
#include "lsp/Protocol.h"
#include "lsp/Server.h"

using namespace camp;
using lsp::json;

namespace {

struct Stream {
  std::string bytes;
  size_t requests = 0; // messages that must get a response (line mode only)
  bool counted = false;
};

Stream frame(const std::string &input) {
  Stream s;
  if (input.rfind("Content-Length", 0) == 0) {
    s.bytes = input;
    return s;
  }
  s.counted = true;
  bool exited = false;
  size_t start = 0;
  while (start <= input.size()) {
    size_t nl = input.find('\n', start);
    if (nl == std::string::npos)
      nl = input.size();
    std::string body = input.substr(start, nl - start);
    start = nl + 1;
    if (body.empty() && start > input.size())
      break;
    s.bytes += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    if (exited)
      continue;
    json msg = json::parse(body, nullptr, false);
    if (!msg.is_object())
      continue;
    auto method = msg.find("method");
    if (method != msg.end() && method->is_string() && *method == "exit") {
      exited = true; // the server stops reading here
      continue;
    }
    auto id = msg.find("id");
    if (id != msg.end() && (id->is_number_integer() || id->is_string()))
      ++s.requests;
  }
  return s;
}

// Splits the server's output into framed messages, strictly: "Content-Length: N\r\n\r\n" + N bytes.
void checkOutput(const std::string &out, const Stream &in) {
  size_t pos = 0, responses = 0;
  const std::string head = "Content-Length: ";
  while (pos < out.size()) {
    if (out.compare(pos, head.size(), head) != 0)
      fuzz::fail("lsp: output is not framed", out.substr(pos, 200));
    size_t end = out.find("\r\n\r\n", pos);
    if (end == std::string::npos)
      fuzz::fail("lsp: a header without its blank line", out.substr(pos, 200));
    size_t length = std::strtoull(out.c_str() + pos + head.size(), nullptr, 10);
    size_t body = end + 4;
    if (body + length > out.size())
      fuzz::fail("lsp: Content-Length runs past the output", out.substr(pos, 200));
    json msg = json::parse(out.substr(body, length), nullptr, false);
    if (msg.is_discarded() || !msg.is_object() || msg.value("jsonrpc", "") != "2.0")
      fuzz::fail("lsp: a message is not JSON-RPC 2.0", out.substr(body, length));
    bool isResponse = msg.contains("result") || msg.contains("error");
    if (!isResponse && !(msg.contains("method") && msg["method"].is_string()))
      fuzz::fail("lsp: neither a response nor a notification", out.substr(body, length));
    if (isResponse && !msg["id"].is_null())
      ++responses;
    pos = body + length;
  }
  if (in.counted && responses != in.requests)
    fuzz::fail("lsp: not one response per request",
               std::to_string(in.requests) + " requests, " + std::to_string(responses) + " responses");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > fuzz::kMaxInput)
    return -1;
  Stream s = frame(std::string(reinterpret_cast<const char *>(data), size));
  FILE *in = fmemopen(s.bytes.data(), s.bytes.size(), "r");
  if (s.bytes.empty() || !in) { // fmemopen refuses an empty buffer: nothing to serve
    if (in)
      std::fclose(in);
    return 0;
  }
  char *outBuf = nullptr;
  size_t outSize = 0;
  FILE *out = open_memstream(&outBuf, &outSize);
  lsp::ServerOptions opts;
  opts.debounceMs = 0;
  (void)lsp::serve(in, out, opts);
  std::fclose(in);
  std::fclose(out);
  std::string written(outBuf, outSize);
  std::free(outBuf);
  checkOutput(written, s);
  return 0;
}
