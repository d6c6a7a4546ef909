// The server loop: the main thread reads messages and answers requests from the newest analysis;
// one worker thread compiles edited documents (debounced), drops results that a newer edit made
// stale, and publishes diagnostics. Nothing a client sends can stop the loop but `exit`.
#include "lsp/Server.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "lsp/Analysis.h"

namespace camp::lsp {

namespace {

using Clock = std::chrono::steady_clock;

enum ErrorCode {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  RequestFailed = -32803
};

struct Document {
  std::string uri, path, text;
  int version = 0;
  uint64_t generation = 0; // bumped on every edit
  Clock::time_point editedAt;
  std::shared_ptr<Snapshot> snapshot, lastParsed;
  uint64_t snapshotGeneration = 0;
  std::set<std::string> published; // uris this document's diagnostics went to
};

struct RequestError {
  int code;
  std::string message;
};

class Server {
public:
  Server(FILE *in, FILE *out, const ServerOptions &opts) : In(in), Out(out), Opts(opts) {}

  int run() {
    Worker = std::thread([this] { workLoop(); });
    int code = 1;
    for (;;) {
      bool tooLarge = false;
      std::optional<std::string> body = readMessage(In, tooLarge);
      if (!body)
        break; // the client went away
      if (tooLarge) {
        sendError(nullptr, InvalidRequest, "message too large");
        continue;
      }
      json msg = json::parse(*body, nullptr, false);
      if (msg.is_discarded()) {
        sendError(nullptr, ParseError, "the message is not JSON");
        continue;
      }
      if (!msg.is_object()) {
        sendError(nullptr, InvalidRequest, "a message is a JSON object");
        continue;
      }
      auto method = msg.find("method");
      if (method != msg.end() && method->is_string() && *method == "exit") {
        code = ShutdownReceived ? 0 : 1;
        break;
      }
      dispatch(msg);
    }
    {
      std::lock_guard<std::mutex> lock(Mutex);
      Stopping = true;
    }
    WorkCv.notify_all();
    Worker.join();
    return code;
  }

private:
  FILE *In, *Out;
  ServerOptions Opts;
  std::mutex Mutex, WriteMutex;
  std::condition_variable WorkCv, FreshCv;
  std::map<std::string, Document> Docs;
  std::deque<std::string> Dirty;
  bool Stopping = false, ShutdownReceived = false;
  std::thread Worker;

  // ---- Output ---------------------------------------------------------------------------------

  void send(const json &msg) {
    std::string body = msg.dump(-1, ' ', false, json::error_handler_t::replace);
    std::lock_guard<std::mutex> lock(WriteMutex);
    writeMessage(Out, body);
  }
  void sendResult(const json &id, const json &result) { send({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}}); }
  void sendError(const json &id, int code, const std::string &message) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
  }
  void notify(const std::string &method, const json &params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
  }

  // ---- Dispatch -------------------------------------------------------------------------------

  void dispatch(const json &msg) {
    auto m = msg.find("method");
    bool isRequest = msg.contains("id") && (msg["id"].is_number_integer() || msg["id"].is_string());
    json id = isRequest ? msg["id"] : json(nullptr);
    if (m == msg.end() || !m->is_string()) {
      if (isRequest) // a response to something we never asked, or garbage
        sendError(id, InvalidRequest, "a request names its method");
      return;
    }
    const std::string method = *m;
    json params = msg.contains("params") ? msg["params"] : json::object();
    try {
      if (isRequest) {
        if (ShutdownReceived) {
          sendError(id, InvalidRequest, "the server is shutting down");
          return;
        }
        json result = request(method, params);
        sendResult(id, result);
      } else {
        notification(method, params);
      }
    } catch (const RequestError &e) {
      if (isRequest)
        sendError(id, e.code, e.message);
    } catch (const json::exception &e) {
      if (isRequest)
        sendError(id, InvalidParams, std::string("bad parameters: ") + e.what());
    } catch (const std::exception &e) {
      if (isRequest)
        sendError(id, InternalError, e.what());
    }
  }

  static const json &need(const json &params, const char *key) {
    if (!params.is_object() || !params.contains(key))
      throw RequestError{InvalidParams, std::string("missing `") + key + "`"};
    return params[key];
  }
  static std::string uriOf(const json &params) {
    const json &doc = need(params, "textDocument");
    const json &uri = need(doc, "uri");
    if (!uri.is_string())
      throw RequestError{InvalidParams, "`uri` is a string"};
    return uri.get<std::string>();
  }

  json capabilities() {
    return {{"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
            {"hoverProvider", true},
            {"definitionProvider", true},
            {"referencesProvider", true},
            {"renameProvider", {{"prepareProvider", true}}},
            {"documentSymbolProvider", true},
            {"completionProvider", {{"triggerCharacters", {"."}}, {"resolveProvider", false}}},
            {"documentFormattingProvider", true},
            {"semanticTokensProvider", {{"legend", semanticTokensLegend()}, {"full", true}}},
            {"inlayHintProvider", true},
            {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
            {"codeLensProvider", {{"resolveProvider", false}}}};
  }

  json request(const std::string &method, const json &params) {
    if (method == "initialize") {
      if (params.is_object() && params.contains("initializationOptions") &&
          params["initializationOptions"].is_object()) {
        const json &o = params["initializationOptions"];
        if (o.contains("debounceMs") && o["debounceMs"].is_number_integer())
          Opts.debounceMs = std::clamp(o["debounceMs"].get<int>(), 0, 5000);
      }
      return {{"capabilities", capabilities()}, {"serverInfo", {{"name", "camp"}, {"version", Opts.version}}}};
    }
    if (method == "shutdown") {
      ShutdownReceived = true;
      return nullptr;
    }
    if (method == "textDocument/formatting") {
      std::string uri = uriOf(params), text, path;
      if (!current(uri, text, path))
        return nullptr;
      return formatting(path, text);
    }
    if (method == "textDocument/completion") {
      std::string uri = uriOf(params);
      std::string text;
      auto snap = waitSnapshot(uri, &text, true);
      LineMap lm(text);
      return completion(snap.get(), text, lm.offset(need(params, "position")));
    }
    if (method == "textDocument/hover" || method == "textDocument/definition" || method == "textDocument/references" ||
        method == "textDocument/rename" || method == "textDocument/prepareRename") {
      std::string uri = uriOf(params);
      auto snap = waitSnapshot(uri);
      if (!snap || !snap->parsed())
        return nullptr;
      uint32_t offset = snap->map(snap->entryFile).offset(need(params, "position"));
      if (method == "textDocument/hover")
        return hover(*snap, offset);
      if (method == "textDocument/definition")
        return definition(*snap, offset);
      if (method == "textDocument/references") {
        bool decl = params.contains("context") && params["context"].is_object() &&
                    params["context"].value("includeDeclaration", false);
        return references(*snap, offset, decl);
      }
      if (method == "textDocument/prepareRename")
        return prepareRename(*snap, offset);
      const json &newName = need(params, "newName");
      if (!newName.is_string())
        throw RequestError{InvalidParams, "`newName` is a string"};
      std::string error;
      auto edit = rename(*snap, offset, newName.get<std::string>(), error);
      if (!edit)
        throw RequestError{RequestFailed, error};
      return *edit;
    }
    if (method == "textDocument/documentSymbol" || method == "textDocument/semanticTokens/full" ||
        method == "textDocument/codeLens" || method == "textDocument/inlayHint" ||
        method == "textDocument/codeAction") {
      std::string uri = uriOf(params);
      auto snap = waitSnapshot(uri);
      if (!snap)
        return method == "textDocument/semanticTokens/full" ? json{{"data", json::array()}} : json::array();
      if (method == "textDocument/documentSymbol")
        return documentSymbols(*snap);
      if (method == "textDocument/semanticTokens/full")
        return semanticTokens(*snap);
      if (method == "textDocument/codeLens")
        return codeLenses(*snap);
      const json &range = need(params, "range");
      if (snap->maps.empty())
        return json::array();
      const LineMap &lm = snap->map(0);
      uint32_t b = lm.offset(need(range, "start")), e = lm.offset(need(range, "end"));
      if (method == "textDocument/inlayHint")
        return inlayHints(*snap, b, e);
      return codeActions(*snap, uri, b, e);
    }
    throw RequestError{MethodNotFound, "camp lsp does not handle `" + method + "`"};
  }

  void notification(const std::string &method, const json &params) {
    if (method == "textDocument/didOpen") {
      const json &doc = need(params, "textDocument");
      // Read every field before the document exists: a didOpen without a text must not leave
      // behind a document that is never analysed (each request would wait for it).
      std::string uri = need(doc, "uri").get<std::string>();
      std::string text = need(doc, "text").get<std::string>();
      std::lock_guard<std::mutex> lock(Mutex);
      Document &d = Docs[uri];
      d.uri = uri;
      d.path = uri.rfind("file://", 0) == 0 ? uriToPath(uri) : uri;
      d.text = std::move(text);
      d.version = doc.contains("version") && doc["version"].is_number_integer() ? doc["version"].get<int>() : 0;
      touch(d);
      return;
    }
    if (method == "textDocument/didChange") {
      std::string uri = uriOf(params);
      std::lock_guard<std::mutex> lock(Mutex);
      auto it = Docs.find(uri);
      if (it == Docs.end())
        return;
      Document &d = it->second;
      const json &changes = need(params, "contentChanges");
      if (!changes.is_array())
        return;
      for (const json &c : changes) {
        if (!c.is_object() || !c.contains("text") || !c["text"].is_string())
          continue;
        if (!c.contains("range")) {
          d.text = c["text"].get<std::string>();
          continue;
        }
        LineMap lm(d.text);
        uint32_t b = lm.offset(c["range"].value("start", json::object()));
        uint32_t e = lm.offset(c["range"].value("end", json::object()));
        if (e < b)
          std::swap(b, e);
        d.text.replace(b, e - b, c["text"].get<std::string>());
      }
      const json &doc = params["textDocument"];
      if (doc.contains("version") && doc["version"].is_number_integer())
        d.version = doc["version"].get<int>();
      touch(d);
      return;
    }
    if (method == "textDocument/didClose") {
      std::string uri = uriOf(params);
      std::set<std::string> cleared;
      {
        std::lock_guard<std::mutex> lock(Mutex);
        auto it = Docs.find(uri);
        if (it == Docs.end())
          return;
        cleared = it->second.published;
        cleared.insert(uri);
        Docs.erase(it);
      }
      for (const std::string &u : cleared)
        notify("textDocument/publishDiagnostics", {{"uri", u}, {"diagnostics", json::array()}});
      return;
    }
    if (method == "textDocument/didSave" || method == "workspace/didChangeWatchedFiles") {
      // An imported file may have changed on disk: look at every open document again.
      std::lock_guard<std::mutex> lock(Mutex);
      for (auto &[uri, d] : Docs)
        touch(d);
      return;
    }
    // initialized, $/cancelRequest, $/setTrace, workspace/didChangeConfiguration, …: nothing to do.
  }

  // Must hold Mutex.
  void touch(Document &d) {
    ++d.generation;
    d.editedAt = Clock::now();
    if (std::find(Dirty.begin(), Dirty.end(), d.uri) == Dirty.end())
      Dirty.push_back(d.uri);
    WorkCv.notify_all();
  }

  bool current(const std::string &uri, std::string &text, std::string &path) {
    std::lock_guard<std::mutex> lock(Mutex);
    auto it = Docs.find(uri);
    if (it == Docs.end())
      return false;
    text = it->second.text;
    path = it->second.path;
    return true;
  }

  // The analysis of the document's current text, waiting a little (debounce + 100 ms) for the
  // worker when it is behind; after that the newest one there is (positions near the edit may be
  // off) so that requests are answered while a large model compiles. Before the first analysis
  // of a document there is nothing to answer from, so that wait is long. `parsedOnly`: prefer the last version that
  // parsed.
  std::shared_ptr<Snapshot> waitSnapshot(const std::string &uri, std::string *text = nullptr, bool parsedOnly = false) {
    std::unique_lock<std::mutex> lock(Mutex);
    auto ready = [&] {
      auto it = Docs.find(uri);
      return it == Docs.end() || (it->second.snapshot && it->second.snapshotGeneration == it->second.generation);
    };
    auto it = Docs.find(uri);
    if (it == Docs.end())
      return nullptr;
    auto wait =
        it->second.snapshot ? std::chrono::milliseconds(Opts.debounceMs + 100) : std::chrono::milliseconds(10000);
    FreshCv.wait_for(lock, wait, ready);
    it = Docs.find(uri);
    if (it == Docs.end())
      return nullptr;
    if (text)
      *text = it->second.text;
    if (parsedOnly && it->second.snapshot && !it->second.snapshot->parsed())
      return it->second.lastParsed;
    return it->second.snapshot;
  }

  // ---- The worker -----------------------------------------------------------------------------

  void workLoop() {
    AnalysisOptions ao;
    ao.stdlibPaths = Opts.stdlibPaths;
    std::unique_lock<std::mutex> lock(Mutex);
    for (;;) {
      WorkCv.wait(lock, [&] { return Stopping || !Dirty.empty(); });
      if (Stopping)
        return;
      std::string uri = Dirty.front();
      auto it = Docs.find(uri);
      if (it == Docs.end()) {
        Dirty.pop_front();
        continue;
      }
      // Debounce: wait until the document has been quiet for debounceMs.
      auto due = it->second.editedAt + std::chrono::milliseconds(Opts.debounceMs);
      if (Clock::now() < due) {
        WorkCv.wait_until(lock, due, [&] { return Stopping; });
        continue;
      }
      Dirty.pop_front();
      Document &d = it->second;
      std::string text = d.text, path = d.path;
      int version = d.version;
      uint64_t gen = d.generation;
      lock.unlock();
      auto stale = [&] {
        std::lock_guard<std::mutex> g(Mutex);
        auto i = Docs.find(uri);
        return Stopping || i == Docs.end() || i->second.generation != gen;
      };
      std::shared_ptr<Snapshot> snap;
      try {
        snap = Snapshot::analyse(uri, path, text, version, ao, stale);
      } catch (const std::exception &e) {
        snap = nullptr;
      }
      lock.lock();
      if (!snap || Stopping)
        continue;
      it = Docs.find(uri);
      if (it == Docs.end() || it->second.generation != gen)
        continue; // a newer edit came in: its own turn will publish
      install(it->second, snap, gen);
      lock.unlock();
      publish(uri, snap, false, version);
      if (stale()) { // a newer edit is waiting: lint that one instead
        lock.lock();
        continue;
      }
      try {
        snap->lint();
      } catch (const std::exception &) {
      }
      bool lintWorth = !snap->lintFindings.empty();
      if (lintWorth && !stale())
        publish(uri, snap, true, version);
      lock.lock();
    }
  }

  // Must hold Mutex.
  void install(Document &d, const std::shared_ptr<Snapshot> &snap, uint64_t gen) {
    d.snapshot = snap;
    d.snapshotGeneration = gen;
    if (snap->parsed())
      d.lastParsed = snap;
    FreshCv.notify_all();
  }

  void publish(const std::string &uri, const std::shared_ptr<Snapshot> &snap, bool withLint, int version) {
    json byUri = publishable(*snap, withLint);
    std::set<std::string> sent, before;
    {
      std::lock_guard<std::mutex> lock(Mutex);
      auto it = Docs.find(uri);
      if (it == Docs.end())
        return;
      before = it->second.published;
      for (auto &[u, list] : byUri.items())
        if (u == uri || !Docs.count(u)) // an open import publishes its own
          sent.insert(u);
      it->second.published = sent;
    }
    for (const std::string &u : sent) {
      json p = {{"uri", u}, {"diagnostics", byUri[u]}};
      if (u == uri)
        p["version"] = version;
      notify("textDocument/publishDiagnostics", p);
    }
    for (const std::string &u : before)
      if (!sent.count(u))
        notify("textDocument/publishDiagnostics", {{"uri", u}, {"diagnostics", json::array()}});
  }
};

} // namespace

int serve(FILE *in, FILE *out, const ServerOptions &opts) {
  Server server(in, out, opts);
  return server.run();
}

} // namespace camp::lsp
