#include "checkpoint/checkpoint_data.h"

#include <simdjson.h>

#include <filesystem>
#include <utility>

#include "common/json_string.h"
#include "runtime/state_codec.h"

namespace sluice {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStateFile = "state.bin";

std::string TaskSection(const std::string& key, int instance) {
  return "task/" + key + "/" + std::to_string(instance);
}
std::string OperatorSection(const std::string& uid, int instance) {
  return "op/" + uid + "/" + std::to_string(instance);
}
std::string CommitSection(const std::string& uid, int writer, CheckpointId epoch) {
  return "commit/" + uid + "/" + std::to_string(writer) + "/" + std::to_string(epoch);
}

void Key(std::string_view key, std::string* out) {
  AppendJsonString(key, out);
  out->push_back(':');
}
void StringField(std::string_view key, std::string_view value, std::string* out) {
  Key(key, out);
  AppendJsonString(value, out);
}
void IntField(std::string_view key, int64_t value, std::string* out) {
  Key(key, out);
  *out += std::to_string(value);
}
/// "key":[{...},{...}] with each object's members written by `members`.
template <typename T, typename Members>
void Array(std::string_view key, const std::vector<T>& items, std::string* out, Members members) {
  Key(key, out);
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out->push_back(',');
    out->push_back('{');
    members(items[i], out);
    out->push_back('}');
  }
  out->push_back(']');
}

/// The sections of one operator instance as the parts of one state-file section: small
/// length headers between views of the sections' own bytes (nothing large is copied).
/// Layout: u32 count, then per section u64 name size, name, u64 data size, data.
std::vector<std::string_view> SectionParts(const StateSections& sections,
                                           std::vector<std::string>* headers) {
  headers->clear();
  headers->reserve(1 + 2 * sections.size());
  StateEncoder count;
  count.U32(static_cast<uint32_t>(sections.size()));
  headers->push_back(count.Take());
  std::vector<std::string_view> parts{headers->back()};
  for (const StateSection& s : sections) {
    StateEncoder name;
    name.Bytes(s.name);
    name.U64(s.data.size());
    headers->push_back(name.Take());
    parts.push_back(headers->back());
    parts.push_back(s.data);
  }
  return parts;
}

/// Sections pointing into a loaded state file, which they keep alive.
class FileSectionsView : public StateSectionsView {
 public:
  static Result<std::shared_ptr<const StateSectionsView>> Decode(
      std::shared_ptr<StateFileReader> file, std::string_view data, const std::string& what) {
    auto view = std::make_shared<FileSectionsView>();
    view->file_ = std::move(file);
    StateDecoder in(data, what);
    uint32_t count = 0;
    SLUICE_RETURN_IF_ERROR(in.U32(&count));
    for (uint32_t i = 0; i < count; ++i) {
      std::string_view name;
      std::string_view bytes;
      SLUICE_RETURN_IF_ERROR(in.Bytes(&name));
      SLUICE_RETURN_IF_ERROR(in.Bytes(&bytes));
      view->sections_.emplace_back(name, bytes);
    }
    SLUICE_RETURN_IF_ERROR(in.Finish());
    return std::shared_ptr<const StateSectionsView>(std::move(view));
  }
  Result<std::string_view> Get(std::string_view name) const override {
    for (const auto& [n, data] : sections_) {
      if (n == name) return data;
    }
    return Status::NotFound("state section '" + std::string(name) + "' is missing");
  }
  bool Has(std::string_view name) const override {
    for (const auto& [n, data] : sections_) {
      if (n == name) return true;
    }
    return false;
  }

 private:
  std::shared_ptr<StateFileReader> file_;
  std::vector<std::pair<std::string_view, std::string_view>> sections_;
};

Status Malformed(const std::string& what) {
  return Status::IoError("checkpoint manifest: " + what);
}

Result<std::string> GetString(simdjson::dom::object object, const char* key) {
  std::string_view value;
  if (object[key].get_string().get(value)) return Malformed(std::string("missing '") + key + "'");
  return std::string(value);
}

Result<int64_t> GetInt(simdjson::dom::object object, const char* key) {
  int64_t value = 0;
  if (object[key].get_int64().get(value)) return Malformed(std::string("missing '") + key + "'");
  return value;
}

Result<simdjson::dom::array> GetArray(simdjson::dom::object object, const char* key) {
  simdjson::dom::array value;
  if (object[key].get_array().get(value)) return Malformed(std::string("missing '") + key + "'");
  return value;
}

}  // namespace

Result<std::string> WriteCheckpointData(const CheckpointData& data, const std::string& directory,
                                        uint64_t* state_bytes) {
  const std::string path = (fs::path(directory) / kStateFile).string();
  SLUICE_ASSIGN_OR_RETURN(auto file, StateFileWriter::Create(path));
  for (const SavedTask& task : data.tasks) {
    SLUICE_RETURN_IF_ERROR(file->AddSection(TaskSection(task.key, task.instance), task.state));
  }
  for (const SavedOperatorState& op : data.operators) {
    std::vector<std::string> headers;
    SLUICE_RETURN_IF_ERROR(file->AddSection(OperatorSection(op.uid, op.instance),
                                            SectionParts(*op.sections, &headers)));
  }
  for (const SavedSink& sink : data.sinks) {
    for (const Committable& c : sink.committables) {
      SLUICE_RETURN_IF_ERROR(
          file->AddSection(CommitSection(sink.uid, c.writer, c.checkpoint), c.data));
    }
  }
  SLUICE_RETURN_IF_ERROR(file->Finish());
  std::error_code ec;
  *state_bytes = fs::file_size(path, ec);

  std::string out = "{";
  StringField("state_file", kStateFile, &out);
  out += ",";
  IntField("state_bytes", static_cast<int64_t>(*state_bytes), &out);
  out += ",";
  Key("shared_files", &out);
  out += "[";
  for (size_t i = 0; i < data.shared_files.size(); ++i) {
    if (i) out += ",";
    AppendJsonString(data.shared_files[i], &out);
  }
  out += "],";
  Array("tasks", data.tasks, &out, [](const SavedTask& t, std::string* o) {
    StringField("key", t.key, o);
    o->push_back(',');
    IntField("instance", t.instance, o);
    o->push_back(',');
    IntField("parallelism", t.parallelism, o);
  });
  out += ",";
  Array("operators", data.operators, &out, [](const SavedOperatorState& op, std::string* o) {
    StringField("uid", op.uid, o);
    o->push_back(',');
    StringField("kind", op.kind, o);
    o->push_back(',');
    StringField("signature", op.signature, o);
    o->push_back(',');
    IntField("instance", op.instance, o);
    o->push_back(',');
    IntField("parallelism", op.parallelism, o);
  });
  out += ",";
  Array("sources", data.sources, &out, [](const SavedSource& source, std::string* o) {
    StringField("uid", source.uid, o);
    o->push_back(',');
    StringField("table", source.table, o);
    o->push_back(',');
    Array("positions", source.positions, o, [](const StreamPosition& p, std::string* po) {
      StringField("stream", p.stream, po);
      po->push_back(',');
      StringField("state", p.state, po);
    });
    o->push_back(',');
    Array("watermarks", source.watermarks, o, [](const StreamWatermark& w, std::string* wo) {
      StringField("stream", w.stream, wo);
      wo->push_back(',');
      IntField("watermark", w.watermark, wo);
    });
  });
  out += ",";
  Array("sinks", data.sinks, &out, [](const SavedSink& sink, std::string* o) {
    StringField("uid", sink.uid, o);
    o->push_back(',');
    StringField("table", sink.table, o);
    o->push_back(',');
    Array("committables", sink.committables, o, [](const Committable& c, std::string* co) {
      IntField("writer", c.writer, co);
      co->push_back(',');
      IntField("epoch", c.checkpoint, co);
      co->push_back(',');
      IntField("bytes", static_cast<int64_t>(c.data.size()), co);
    });
  });
  out += "}";
  return out;
}

Result<std::unique_ptr<LoadedCheckpoint>> LoadedCheckpoint::Load(const Manifest& manifest) {
  std::unique_ptr<LoadedCheckpoint> loaded(new LoadedCheckpoint());
  loaded->manifest_ = manifest;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(manifest.body).get(root)) return Malformed("body is not JSON");
  simdjson::dom::object body;
  if (root.get_object().get(body)) return Malformed("body is not an object");
  SLUICE_ASSIGN_OR_RETURN(std::string state_file, GetString(body, "state_file"));
  const std::string path = (fs::path(manifest.directory) / state_file).string();
  SLUICE_ASSIGN_OR_RETURN(auto reader, StateFileReader::Open(path));
  loaded->state_ = std::shared_ptr<StateFileReader>(std::move(reader));
  std::error_code ec;
  loaded->state_bytes_ = fs::file_size(path, ec);

  SLUICE_ASSIGN_OR_RETURN(auto tasks, GetArray(body, "tasks"));
  for (simdjson::dom::element e : tasks) {
    simdjson::dom::object t;
    if (e.get_object().get(t)) return Malformed("task is not an object");
    SavedTask task;
    SLUICE_ASSIGN_OR_RETURN(task.key, GetString(t, "key"));
    SLUICE_ASSIGN_OR_RETURN(int64_t instance, GetInt(t, "instance"));
    SLUICE_ASSIGN_OR_RETURN(int64_t parallelism, GetInt(t, "parallelism"));
    task.instance = static_cast<int>(instance);
    task.parallelism = static_cast<int>(parallelism);
    SLUICE_ASSIGN_OR_RETURN(std::string_view state,
                            loaded->state_->Section(TaskSection(task.key, task.instance)));
    task.state.assign(state);
    loaded->tasks_.push_back(std::move(task));
  }
  SLUICE_ASSIGN_OR_RETURN(auto operators, GetArray(body, "operators"));
  for (simdjson::dom::element e : operators) {
    simdjson::dom::object o;
    if (e.get_object().get(o)) return Malformed("operator is not an object");
    SavedOperatorState op;
    SLUICE_ASSIGN_OR_RETURN(op.uid, GetString(o, "uid"));
    SLUICE_ASSIGN_OR_RETURN(op.kind, GetString(o, "kind"));
    SLUICE_ASSIGN_OR_RETURN(op.signature, GetString(o, "signature"));
    SLUICE_ASSIGN_OR_RETURN(int64_t instance, GetInt(o, "instance"));
    SLUICE_ASSIGN_OR_RETURN(int64_t parallelism, GetInt(o, "parallelism"));
    op.instance = static_cast<int>(instance);
    op.parallelism = static_cast<int>(parallelism);
    loaded->operators_.push_back(std::move(op));
  }
  SLUICE_ASSIGN_OR_RETURN(auto sources, GetArray(body, "sources"));
  for (simdjson::dom::element e : sources) {
    simdjson::dom::object o;
    if (e.get_object().get(o)) return Malformed("source is not an object");
    SavedSource source;
    SLUICE_ASSIGN_OR_RETURN(source.uid, GetString(o, "uid"));
    SLUICE_ASSIGN_OR_RETURN(source.table, GetString(o, "table"));
    SLUICE_ASSIGN_OR_RETURN(auto positions, GetArray(o, "positions"));
    for (simdjson::dom::element p : positions) {
      simdjson::dom::object po;
      if (p.get_object().get(po)) return Malformed("position is not an object");
      StreamPosition position;
      SLUICE_ASSIGN_OR_RETURN(position.stream, GetString(po, "stream"));
      SLUICE_ASSIGN_OR_RETURN(position.state, GetString(po, "state"));
      source.positions.push_back(std::move(position));
    }
    SLUICE_ASSIGN_OR_RETURN(auto watermarks, GetArray(o, "watermarks"));
    for (simdjson::dom::element w : watermarks) {
      simdjson::dom::object wo;
      if (w.get_object().get(wo)) return Malformed("watermark is not an object");
      StreamWatermark watermark;
      SLUICE_ASSIGN_OR_RETURN(watermark.stream, GetString(wo, "stream"));
      SLUICE_ASSIGN_OR_RETURN(watermark.watermark, GetInt(wo, "watermark"));
      source.watermarks.push_back(std::move(watermark));
    }
    loaded->sources_.push_back(std::move(source));
  }
  SLUICE_ASSIGN_OR_RETURN(auto sinks, GetArray(body, "sinks"));
  for (simdjson::dom::element e : sinks) {
    simdjson::dom::object o;
    if (e.get_object().get(o)) return Malformed("sink is not an object");
    SavedSink sink;
    SLUICE_ASSIGN_OR_RETURN(sink.uid, GetString(o, "uid"));
    SLUICE_ASSIGN_OR_RETURN(sink.table, GetString(o, "table"));
    SLUICE_ASSIGN_OR_RETURN(auto committables, GetArray(o, "committables"));
    for (simdjson::dom::element c : committables) {
      simdjson::dom::object co;
      if (c.get_object().get(co)) return Malformed("committable is not an object");
      Committable committable;
      SLUICE_ASSIGN_OR_RETURN(int64_t writer, GetInt(co, "writer"));
      SLUICE_ASSIGN_OR_RETURN(committable.checkpoint, GetInt(co, "epoch"));
      committable.writer = static_cast<int>(writer);
      SLUICE_ASSIGN_OR_RETURN(std::string_view data,
                              loaded->state_->Section(CommitSection(sink.uid, committable.writer,
                                                                    committable.checkpoint)));
      committable.data.assign(data);
      sink.committables.push_back(std::move(committable));
    }
    loaded->sinks_.push_back(std::move(sink));
  }
  return loaded;
}

Result<std::shared_ptr<const StateSectionsView>> LoadedCheckpoint::Sections(const std::string& uid,
                                                                            int instance) const {
  const std::string name = OperatorSection(uid, instance);
  SLUICE_ASSIGN_OR_RETURN(std::string_view data, state_->Section(name));
  return FileSectionsView::Decode(state_, data,
                                  "checkpoint " + std::to_string(manifest_.id) + " operator " +
                                      uid + " instance " + std::to_string(instance));
}

const SavedSource* LoadedCheckpoint::Source(const std::string& uid) const {
  for (const SavedSource& s : sources_) {
    if (s.uid == uid) return &s;
  }
  return nullptr;
}

const SavedSink* LoadedCheckpoint::Sink(const std::string& uid) const {
  for (const SavedSink& s : sinks_) {
    if (s.uid == uid) return &s;
  }
  return nullptr;
}

}  // namespace sluice
