// The server's life cycle, message dispatch, document sync and published diagnostics.
#include "lsp/server.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace pt::lsp {

namespace {

json error_object(int code, const std::string& message) {
  return {{"code", code}, {"message", message}};
}

void log(const std::string& text) {
  std::fprintf(stderr, "parsel lsp: %s\n", text.c_str());
}

}  // namespace

Server::Server(Transport& transport, const Toolchain& toolchain)
    : transport_(transport), workspace_(toolchain) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(toolchain.stdlib_dir, ec)) {
    if (e.path().extension() == ".pt") std_modules_.push_back("std." + e.path().stem().string());
  }
  std::sort(std_modules_.begin(), std_modules_.end());
}

int Server::run() {
  while (!exited_) {
    // Diagnostics wait until the client stops typing: changes that came together are analysed
    // once, before the next message is waited for.
    if (!transport_.pending()) analyse_quiet_projects();
    std::optional<std::string> body = transport_.read();
    if (!body) break;
    handle(*body);
  }
  return shutdown_ ? 0 : 1;
}

void Server::send(const json& message) {
  if (!transport_.write(dump(message))) log("the client is gone");
}

void Server::handle(const std::string& body) {
  json message;
  try {
    message = json::parse(body);
  } catch (const json::exception& e) {
    send({{"jsonrpc", "2.0"},
          {"id", nullptr},
          {"error", error_object(kParseError, std::string("not JSON: ") + e.what())}});
    return;
  }
  handle_message(message);
}

void Server::handle_message(const json& m) {
  auto invalid = [&](const json& id, const std::string& why) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"error", error_object(kInvalidRequest, why)}});
  };
  if (!m.is_object()) {
    invalid(nullptr, "a message is a JSON object");
    return;
  }
  auto id = m.find("id");
  bool has_id = id != m.end();
  if (has_id && !id->is_number_integer() && !id->is_string()) {
    invalid(nullptr, "a request's id is an integer or a string");
    return;
  }
  auto method = m.find("method");
  if (method == m.end() || !method->is_string()) {
    // An answer to a request of ours (the server sends none that need one): nothing to do.
    if (has_id && (m.contains("result") || m.contains("error"))) return;
    invalid(has_id ? *id : json(nullptr), "a message without a method");
    return;
  }
  // A reference, not a copy: copying JSON recurses, and a client's params may nest deeply.
  static const json kNoParams;
  auto found = m.find("params");
  const json& params = found != m.end() ? *found : kNoParams;
  std::string name = method->get<std::string>();
  if (!has_id) {
    try {
      notification(name, params);
    } catch (const std::exception& e) {
      log(name + ": " + e.what());
    }
    return;
  }
  json answer = {{"jsonrpc", "2.0"}, {"id", *id}};
  try {
    answer["result"] = request(name, params);
  } catch (const RpcError& e) {
    answer["error"] = error_object(e.code, e.message);
  } catch (const json::exception& e) {
    answer["error"] = error_object(kInvalidParams, name + ": " + e.what());
  } catch (const std::exception& e) {
    log(name + ": " + e.what());
    answer["error"] = error_object(kInternalError, name + ": " + e.what());
  }
  send(answer);
}

json Server::request(const std::string& method, const json& params) {
  if (shutdown_) throw RpcError{kInvalidRequest, "the server is shutting down"};
  if (method == "initialize") {
    if (initialized_) throw RpcError{kInvalidRequest, "initialize came twice"};
    return initialize(params);
  }
  if (!initialized_) throw RpcError{kServerNotInitialized, "initialize comes first"};
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (method == "textDocument/hover") return hover(params);
  if (method == "textDocument/definition") return definition(params);
  if (method == "textDocument/references") return references(params);
  if (method == "textDocument/documentSymbol") return document_symbols(params);
  if (method == "textDocument/formatting") return formatting(params);
  if (method == "textDocument/codeAction") return code_actions(params);
  if (method == "textDocument/completion") return completion(params);
  throw RpcError{kMethodNotFound, "unknown method " + method};
}

void Server::notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ || shutdown_) return;
  if (method == "textDocument/didOpen") {
    did_open(params);
  } else if (method == "textDocument/didChange") {
    did_change(params);
  } else if (method == "textDocument/didClose") {
    did_close(params);
  } else if (method == "workspace/didChangeWatchedFiles") {
    workspace_.touch_all();
  }
  // initialized, didSave (the buffer already holds the saved text), $/cancelRequest (answers
  // are never late enough to cancel), $/setTrace and the rest: nothing to do.
}

json Server::initialize(const json& params) {
  encoding_ = Encoding::kUtf16;
  if (params.is_object()) {
    const json* offered = nullptr;
    auto caps = params.find("capabilities");
    if (caps != params.end() && caps->is_object()) {
      auto general = caps->find("general");
      if (general != caps->end() && general->is_object()) {
        auto encodings = general->find("positionEncodings");
        if (encodings != general->end() && encodings->is_array()) offered = &*encodings;
      }
    }
    if (offered != nullptr) {
      for (const json& e : *offered) {
        if (e == "utf-32") encoding_ = Encoding::kUtf32;
      }
    }
  }
  initialized_ = true;
  json capabilities = {
      {"positionEncoding", encoding_ == Encoding::kUtf32 ? "utf-32" : "utf-16"},
      {"textDocumentSync",
       {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"documentSymbolProvider", true},
      {"documentFormattingProvider", true},
      {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
      {"completionProvider",
       {{"triggerCharacters", {".", "(", "\"", "/"}}, {"resolveProvider", false}}},
  };
  return {{"capabilities", capabilities},
          {"serverInfo", {{"name", "parsel"}, {"version", PT_VERSION}}}};
}

void Server::did_open(const json& params) {
  const json& item = params.at("textDocument");
  std::string uri = item.at("uri").get<std::string>();
  std::int64_t version = item.contains("version") && item["version"].is_number_integer()
                             ? item["version"].get<std::int64_t>()
                             : 0;
  std::string text = item.at("text").get<std::string>();
  std::optional<std::string> path = uri_to_path(uri);
  if (!path) {
    if (workspace_.open_scratch(uri, std::move(text), version) == nullptr) {
      log("no stand-in file for " + uri + ": left alone");
    }
    return;
  }
  std::string normal = std::filesystem::absolute(*path).lexically_normal().string();
  workspace_.open(uri, normal, std::move(text), version);
}

void Server::did_change(const json& params) {
  const json& item = params.at("textDocument");
  Document* doc = workspace_.find(item.at("uri").get<std::string>());
  if (doc == nullptr) return;  // not opened: nothing to change
  std::string text = doc->text;
  for (const json& change : params.at("contentChanges")) {
    std::string replacement = change.at("text").get<std::string>();
    auto range = change.find("range");
    if (range == change.end() || range->is_null()) {
      text = std::move(replacement);
      continue;
    }
    const json& s = range->at("start");
    const json& e = range->at("end");
    std::size_t begin = to_byte_offset(text, s.at("line").get<std::uint32_t>(),
                                       s.at("character").get<std::uint32_t>(), encoding_);
    std::size_t end = to_byte_offset(text, e.at("line").get<std::uint32_t>(),
                                     e.at("character").get<std::uint32_t>(), encoding_);
    if (end < begin) std::swap(begin, end);
    text.replace(begin, end - begin, replacement);
  }
  doc->text = std::move(text);  // only once every change applied: a bad one changes nothing
  if (item.contains("version") && item["version"].is_number_integer()) {
    doc->version = item["version"].get<std::int64_t>();
  }
  workspace_.touch(*doc);
}

void Server::did_close(const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  Document* doc = workspace_.find(uri);
  if (doc == nullptr) return;
  Project* p = workspace_.project(doc->project);
  bool alone = p != nullptr && p->single_file;
  workspace_.close(uri);
  if (alone) {
    // A lone file is analysed only while it is open: its diagnostics go with its buffer.
    p->published.erase(uri);
    send({{"jsonrpc", "2.0"},
          {"method", "textDocument/publishDiagnostics"},
          {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
  }
}

void Server::analyse_quiet_projects() {
  for (Project* p : workspace_.dirty_projects()) {
    std::vector<const Document*> docs = workspace_.documents_of(p->key);
    if (docs.empty()) {
      // Its last buffer closed: its diagnostics go, and so does the project.
      p->current.reset();
      p->good.reset();
      p->dirty = false;
      publish(*p);
      workspace_.forget(p->key);
      continue;
    }
    try {
      Document* doc = workspace_.find(docs.front()->uri);
      if (doc != nullptr) project_for(*doc);
    } catch (const std::exception& e) {
      log(std::string("analysis: ") + e.what());
      p->dirty = false;
    }
  }
}

Project& Server::project_for(Document& doc) {
  Project& p = workspace_.project_of(doc);
  if (p.current.get() != p.published_from) publish(p);
  return p;
}

std::string Server::uri_of(const Analysis& a, std::uint32_t file) const {
  const auto& paths = a.project->file_paths;
  if (file >= paths.size()) return "";
  std::string path = paths[file].string();
  if (const Document* d = workspace_.document_at(path)) return d->uri;
  return path_to_uri(path);
}

UriOf Server::uri_function(const Analysis& a) const {
  return [this, &a](std::uint32_t file) { return uri_of(a, file); };
}

void Server::publish(Project& p) {
  std::map<std::string, json> by_uri;
  std::map<std::string, std::int64_t> versions;
  std::vector<const Document*> docs = workspace_.documents_of(p.key);
  for (const Document* d : docs) {
    by_uri[d->uri] = json::array();
    versions[d->uri] = d->version;
  }
  if (const Analysis* a = p.current.get()) {
    UriOf uris = uri_function(*a);
    for (const Diagnostic& d : a->project->sink.all()) {
      json item = to_lsp_diagnostic(a->sources(), d, encoding_, uris);
      std::string uri = d.range.valid() ? uri_of(*a, d.range.file) : "";
      if (!uri.empty()) {
        by_uri[uri].push_back(std::move(item));
      } else {
        // About the project as a whole: shown at the top of each of its open documents.
        for (const Document* doc : docs) by_uri[doc->uri].push_back(item);
      }
    }
  }
  for (const std::string& uri : p.published) {
    if (!by_uri.count(uri)) by_uri[uri] = json::array();
  }
  p.published.clear();
  for (auto& [uri, list] : by_uri) {
    json params = {{"uri", uri}, {"diagnostics", std::move(list)}};
    auto v = versions.find(uri);
    if (v != versions.end()) params["version"] = v->second;
    if (!params["diagnostics"].empty()) p.published.insert(uri);
    send({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", params}});
  }
  p.published_from = p.current.get();
}

Document& Server::document(const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  Document* d = workspace_.find(uri);
  if (d == nullptr) throw RpcError{kInvalidParams, "the document is not open: " + uri};
  return *d;
}

Place Server::place(const json& params, bool with_position) {
  Place pl;
  pl.doc = &document(params);
  pl.project = &project_for(*pl.doc);
  const Analysis* a = pl.project->current && pl.project->current->checked
                          ? pl.project->current.get()
                          : pl.project->good.get();
  if (a != nullptr && a->index) {
    pl.analysis = a;
    pl.file = a->file_of(pl.doc->path);
  }
  if (with_position) {
    const json& p = params.at("position");
    pl.pos = to_code_point(pl.doc->text, p.at("line").get<std::uint32_t>(),
                           p.at("character").get<std::uint32_t>(), encoding_);
  }
  return pl;
}

json Server::location(const Analysis& a, SourceRange r) const {
  return {{"uri", uri_of(a, r.file)}, {"range", to_lsp_range(a.sources(), r, encoding_)}};
}

}  // namespace pt::lsp
