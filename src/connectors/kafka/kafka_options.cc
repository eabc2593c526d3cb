#include "connectors/kafka/kafka_options.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "common/did_you_mean.h"
#include "formats/option_reader.h"
#include "runtime/session_config.h"

namespace sluice {

namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    std::string item = Trim(std::string_view(text).substr(start, end - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Looks `value` up among `names` (Flink's enum options: case-insensitive); -1 when unknown.
int Choice(const std::string& value, const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (Upper(value) == Upper(names[i])) return static_cast<int>(i);
  }
  return -1;
}

Status BadChoice(const std::string& key, const std::string& value,
                 const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "'" : ", '") + n + "'";
  return Status::InvalidOption("option '" + key + "' expects one of " + list + ", got '" + value +
                               "'" + DidYouMeanSuffix(value, names));
}

std::string ConnectorName(bool upsert) {
  return upsert ? "upsert-kafka" : "kafka";
}

// The format options of one side: with 'format', the table's options as they are (the format
// reads its own 'json.*' keys); with 'value.format' / 'key.format', the keys under 'value.' /
// 'key.' with that prefix taken off.
Options SideOptions(const Options& table, const std::string& prefix) {
  if (prefix.empty()) return table;
  Options out;
  for (const auto& [k, v] : table) {
    if (k.compare(0, prefix.size(), prefix) == 0 && k.size() > prefix.size()) {
      out[k.substr(prefix.size())] = v;
    }
  }
  return out;
}

Result<int64_t> Millis(const OptionReader& reader, const std::string& key) {
  if (!reader.Has(key)) {
    return Status::InvalidOption("option '" + key + "' is required by the selected mode");
  }
  return reader.Int(key, 0);
}

Status ParseCommon(const TableContext& context, bool upsert, bool sink, KafkaTableConfig* out) {
  const TableDef& table = *context.table;
  const Options& options = table.options;
  OptionReader reader(options);
  const std::string connector = ConnectorName(upsert);
  out->table = table.name;
  out->upsert = upsert;

  // Topics.
  out->topics = SplitList(reader.String("topic", ""));
  out->topic_pattern = reader.String("topic-pattern", "");
  if (!out->topics.empty() && !out->topic_pattern.empty()) {
    return Status::InvalidOption("options 'topic' and 'topic-pattern' cannot both be set");
  }
  if (sink) {
    if (!out->topic_pattern.empty()) {
      return Status::InvalidOption("table '" + table.name + "' (" + connector +
                                   "): a sink needs one 'topic'; 'topic-pattern' only works for "
                                   "reading");
    }
    if (out->topics.size() != 1) {
      return Status::InvalidOption("table '" + table.name + "' (" + connector +
                                   "): a sink needs exactly one 'topic', got '" +
                                   reader.String("topic", "") + "'");
    }
  } else if (out->topics.empty() && out->topic_pattern.empty()) {
    return Status::InvalidOption("connector '" + connector +
                                 "' needs option 'topic' (or 'topic-pattern')");
  }

  // Client properties.
  SLUICE_ASSIGN_OR_RETURN(out->properties, TranslateProperties(options));
  SLUICE_RETURN_IF_ERROR(CheckProperties(out->properties));
  auto servers = out->properties.find("bootstrap.servers");
  if (servers == out->properties.end() || Trim(servers->second).empty()) {
    return Status::InvalidOption("connector '" + connector +
                                 "' needs option 'properties.bootstrap.servers'");
  }
  out->bootstrap_servers = servers->second;
  if (auto group = out->properties.find("group.id"); group != out->properties.end()) {
    out->group_id = group->second;
  }

  // Physical columns (before the metadata columns).
  out->num_physical = context.num_value_columns();
  const Schema& physical = context.physical_schema;
  auto column_index = [&](const std::string& name) -> int {
    for (size_t i = 0; i < out->num_physical; ++i) {
      if (physical.fields[i].name == name) return static_cast<int>(i);
    }
    return -1;
  };

  // Value format.
  const bool has_format = reader.Has("format");
  const bool has_value_format = reader.Has("value.format");
  if (has_format && has_value_format) {
    return Status::InvalidOption("options 'format' and 'value.format' cannot both be set");
  }
  if (!has_format && !has_value_format) {
    return Status::InvalidOption("connector '" + connector + "' needs option " +
                                 (upsert ? "'value.format'" : "'format' (or 'value.format')"));
  }
  SLUICE_ASSIGN_OR_RETURN(
      out->value.format,
      FindFormat(has_format ? reader.String("format", "") : reader.String("value.format", "")));
  out->value.options = SideOptions(options, has_format ? "" : "value.");

  // Key format and columns.
  std::vector<int> key_columns;
  if (upsert) {
    if (table.primary_key.empty()) {
      return Status::InvalidOption(
          "table '" + table.name +
          "' (upsert-kafka) needs a PRIMARY KEY: its columns are the message key, and rows "
          "with the same key update or delete each other");
    }
    if (!reader.Has("key.format")) {
      return Status::InvalidOption("connector 'upsert-kafka' needs option 'key.format'");
    }
    for (int k : table.primary_key) {
      int index = column_index(table.columns[k].field.name);
      if (index < 0) {
        return Status::InvalidOption("table '" + table.name + "': primary key column '" +
                                     table.columns[k].field.name + "' is not a physical column");
      }
      key_columns.push_back(index);
    }
  } else if (reader.Has("key.format") || reader.Has("key.fields")) {
    if (!reader.Has("key.fields")) {
      return Status::InvalidOption(
          "option 'key.format' needs the key's columns in 'key.fields' ('a;b')");
    }
    if (!reader.Has("key.format")) {
      return Status::InvalidOption(
          "option 'key.fields' can only be set together with 'key.format'");
    }
    for (const std::string& name : SplitList(reader.String("key.fields", ""))) {
      int index = column_index(name);
      if (index < 0) {
        std::vector<std::string> names;
        for (size_t i = 0; i < out->num_physical; ++i) names.push_back(physical.fields[i].name);
        return Status::InvalidOption("option 'key.fields': '" + name +
                                     "' is not a physical column of table '" + table.name + "'" +
                                     DidYouMeanSuffix(name, names));
      }
      if (std::find(key_columns.begin(), key_columns.end(), index) != key_columns.end()) {
        return Status::InvalidOption("option 'key.fields' names '" + name + "' twice");
      }
      key_columns.push_back(index);
    }
    if (key_columns.empty()) {
      return Status::InvalidOption("option 'key.fields' names no column");
    }
  }

  std::string include = reader.String("value.fields-include", "ALL");
  int include_choice = Choice(include, {"ALL", "EXCEPT_KEY"});
  if (include_choice < 0) return BadChoice("value.fields-include", include, {"ALL", "EXCEPT_KEY"});
  out->value_except_key = include_choice == 1;
  const std::string prefix = reader.String("key.fields-prefix", "");
  if (!prefix.empty() && !out->value_except_key) {
    return Status::InvalidOption(
        "option 'key.fields-prefix' needs 'value.fields-include' = 'EXCEPT_KEY' (with 'ALL' the "
        "key and value fields would overlap)");
  }

  if (!key_columns.empty()) {
    KafkaFormatConfig key;
    SLUICE_ASSIGN_OR_RETURN(key.format, FindFormat(reader.String("key.format", "")));
    key.options = SideOptions(options, "key.");
    for (int index : key_columns) {
      Field field = physical.fields[index];
      if (!prefix.empty()) {
        if (field.name.compare(0, prefix.size(), prefix) != 0 ||
            field.name.size() == prefix.size()) {
          return Status::InvalidOption("key column '" + field.name +
                                       "' must start with 'key.fields-prefix' ('" + prefix + "')");
        }
        field.name = field.name.substr(prefix.size());
      }
      key.schema.fields.push_back(field);
      key.columns.push_back(index);
    }
    out->key = std::move(key);
  }

  for (size_t i = 0; i < out->num_physical; ++i) {
    bool is_key =
        std::find(key_columns.begin(), key_columns.end(), static_cast<int>(i)) != key_columns.end();
    if (is_key && out->value_except_key) continue;
    out->value.schema.fields.push_back(physical.fields[i]);
    out->value.columns.push_back(static_cast<int>(i));
  }

  // Metadata columns.
  static const std::vector<std::pair<std::string_view, KafkaMetadata>> kKeys = {
      {"topic", KafkaMetadata::kTopic},
      {"partition", KafkaMetadata::kPartition},
      {"offset", KafkaMetadata::kOffset},
      {"timestamp", KafkaMetadata::kTimestamp},
      {"timestamp-type", KafkaMetadata::kTimestampType},
      {"leader-epoch", KafkaMetadata::kLeaderEpoch},
  };
  for (const std::string& key : context.metadata_keys) {
    auto it =
        std::find_if(kKeys.begin(), kKeys.end(), [&](const auto& p) { return p.first == key; });
    if (it == kKeys.end()) {
      return Status::InvalidOption("connector '" + connector + "' has no metadata key '" + key +
                                   "'");
    }
    if (sink && it->second != KafkaMetadata::kTimestamp) {
      return Status::InvalidOption("metadata '" + key + "' of connector '" + connector +
                                   "' can only be read; declare the column VIRTUAL");
    }
    out->metadata.push_back(it->second);
  }
  if (out->num_physical + out->metadata.size() != physical.size()) {
    return Status::Internal("kafka: table '" + table.name + "' has " +
                            std::to_string(physical.size()) + " columns for the connector, " +
                            std::to_string(out->num_physical) + " physical and " +
                            std::to_string(out->metadata.size()) + " metadata");
  }
  return Status::OK();
}

void DefaultSubject(KafkaFormatConfig& side, const std::string& topic, const char* suffix) {
  if (side.format->name != "avro-confluent") return;
  const std::string key = "avro-confluent.subject";
  if (!side.options.count(key)) side.options[key] = topic + suffix;
}

}  // namespace

Result<std::map<int32_t, int64_t>> ParseSpecificOffsets(const std::string& key,
                                                        const std::string& text) {
  auto bad = [&]() {
    return Status::InvalidOption("option '" + key +
                                 "' should look like 'partition:0,offset:42;partition:1,offset:"
                                 "300', got '" +
                                 text + "'");
  };
  std::map<int32_t, int64_t> out;
  for (const std::string& entry : SplitList(text)) {
    size_t comma = entry.find(',');
    if (comma == std::string::npos) return bad();
    std::string partition = Trim(std::string_view(entry).substr(0, comma));
    std::string offset = Trim(std::string_view(entry).substr(comma + 1));
    if (partition.rfind("partition:", 0) != 0 || offset.rfind("offset:", 0) != 0) return bad();
    partition = Trim(partition.substr(10));
    offset = Trim(offset.substr(7));
    char* end = nullptr;
    errno = 0;
    long long p = std::strtoll(partition.c_str(), &end, 10);
    if (partition.empty() || *end || p < 0 || p > INT32_MAX) return bad();
    long long o = std::strtoll(offset.c_str(), &end, 10);
    if (offset.empty() || *end || o < 0 || errno) return bad();
    out[static_cast<int32_t>(p)] = o;
  }
  if (out.empty()) return bad();
  return out;
}

Result<KafkaTableConfig> ParseKafkaSourceConfig(const TableContext& context, bool upsert) {
  KafkaTableConfig out;
  SLUICE_RETURN_IF_ERROR(ParseCommon(context, upsert, /*sink=*/false, &out));
  const Options& options = context.table->options;
  OptionReader reader(options);

  static const std::vector<std::string> kStartup = {
      "earliest-offset", "latest-offset", "group-offsets", "timestamp", "specific-offsets"};
  if (upsert) {
    out.startup = KafkaStartupMode::kEarliest;  // Flink's upsert-kafka always reads everything
  } else {
    std::string mode = reader.String("scan.startup.mode", "group-offsets");
    int choice = Choice(mode, kStartup);
    if (choice < 0) return BadChoice("scan.startup.mode", mode, kStartup);
    out.startup = static_cast<KafkaStartupMode>(choice);
    if (out.startup == KafkaStartupMode::kTimestamp) {
      SLUICE_ASSIGN_OR_RETURN(out.startup_timestamp_ms,
                              Millis(reader, "scan.startup.timestamp-millis"));
    } else if (out.startup == KafkaStartupMode::kSpecificOffsets) {
      if (!reader.Has("scan.startup.specific-offsets")) {
        return Status::InvalidOption(
            "option 'scan.startup.specific-offsets' is required by 'scan.startup.mode' = "
            "'specific-offsets'");
      }
      SLUICE_ASSIGN_OR_RETURN(
          out.startup_offsets,
          ParseSpecificOffsets("scan.startup.specific-offsets",
                               reader.String("scan.startup.specific-offsets", "")));
    }
    if (out.startup == KafkaStartupMode::kGroupOffsets && out.group_id.empty()) {
      return Status::InvalidOption(
          "table '" + context.table->name +
          "': 'scan.startup.mode' = 'group-offsets' (Flink's default) needs "
          "'properties.group.id'; or choose 'earliest-offset' / 'latest-offset'");
    }
  }

  static const std::vector<std::string> kBounded = {"unbounded", "latest-offset", "group-offsets",
                                                    "timestamp", "specific-offsets"};
  std::string bounded = reader.String("scan.bounded.mode", "unbounded");
  int choice = Choice(bounded, kBounded);
  if (choice < 0) return BadChoice("scan.bounded.mode", bounded, kBounded);
  out.bounded = static_cast<KafkaBoundedMode>(choice);
  if (out.bounded == KafkaBoundedMode::kTimestamp) {
    SLUICE_ASSIGN_OR_RETURN(out.bounded_timestamp_ms,
                            Millis(reader, "scan.bounded.timestamp-millis"));
  } else if (out.bounded == KafkaBoundedMode::kSpecificOffsets) {
    if (!reader.Has("scan.bounded.specific-offsets")) {
      return Status::InvalidOption(
          "option 'scan.bounded.specific-offsets' is required by 'scan.bounded.mode' = "
          "'specific-offsets'");
    }
    SLUICE_ASSIGN_OR_RETURN(
        out.bounded_offsets,
        ParseSpecificOffsets("scan.bounded.specific-offsets",
                             reader.String("scan.bounded.specific-offsets", "")));
  } else if (out.bounded == KafkaBoundedMode::kGroupOffsets && out.group_id.empty()) {
    return Status::InvalidOption(
        "'scan.bounded.mode' = 'group-offsets' needs 'properties.group.id'");
  }

  // Partition discovery: Flink's option, or its 'partition.discovery.interval.ms' property.
  if (reader.Has("scan.topic-partition-discovery.interval")) {
    auto micros = ParseDuration(reader.String("scan.topic-partition-discovery.interval", ""));
    if (!micros.ok()) {
      return micros.status().WithContext("option 'scan.topic-partition-discovery.interval'");
    }
    out.discovery_interval_ms = *micros / 1000;
  } else if (reader.Has("properties.partition.discovery.interval.ms")) {
    SLUICE_ASSIGN_OR_RETURN(out.discovery_interval_ms,
                            reader.Int("properties.partition.discovery.interval.ms", 0));
  }
  if (reader.Has("scan.watermark.idle-timeout")) {
    auto micros = ParseDuration(reader.String("scan.watermark.idle-timeout", ""));
    if (!micros.ok()) return micros.status().WithContext("option 'scan.watermark.idle-timeout'");
  }

  SLUICE_ASSIGN_OR_RETURN(bool commit,
                          reader.Bool("properties.commit.offsets.on.checkpoint", true));
  out.commit_offsets = commit && !out.group_id.empty();
  out.has_dead_letters = reader.Has("dead-letter.topic") || reader.Has("dead-letter.path");

  // Checks the formats' options now; each reader makes its own decoders.
  SLUICE_RETURN_IF_ERROR(
      out.value.format->make_decoder(out.value.schema, out.value.options)
          .status()
          .WithContext(out.value_except_key || out.key ? "value format" : "format"));
  if (out.key) {
    SLUICE_RETURN_IF_ERROR(out.key->format->make_decoder(out.key->schema, out.key->options)
                               .status()
                               .WithContext("key format"));
  }
  return out;
}

Result<KafkaTableConfig> ParseKafkaSinkConfig(const TableContext& context, bool upsert) {
  KafkaTableConfig out;
  SLUICE_RETURN_IF_ERROR(ParseCommon(context, upsert, /*sink=*/true, &out));
  const Options& options = context.table->options;
  OptionReader reader(options);
  const std::string& table = context.table->name;

  if (context.updating && !upsert && !out.value.format->produces_changelog) {
    // As Flink: the kafka sink writes a stream of inserts; changes need keys.
    return Status::Unsupported("table '" + table +
                               "' (kafka) only accepts inserts, but the query produces updates; "
                               "write it to an 'upsert-kafka' table with a PRIMARY KEY");
  }

  if (!upsert) {
    static const std::vector<std::string> kPartitioners = {"default", "fixed", "round-robin"};
    std::string partitioner = reader.String("sink.partitioner", "default");
    int choice = Choice(partitioner, kPartitioners);
    if (choice < 0) {
      if (partitioner.find('.') != std::string::npos) {
        return Status::Unsupported("option 'sink.partitioner': custom partitioner classes ('" +
                                   partitioner +
                                   "') are not supported; use 'default', 'fixed' or "
                                   "'round-robin'");
      }
      return BadChoice("sink.partitioner", partitioner, kPartitioners);
    }
    out.partitioner = static_cast<KafkaPartitioner>(choice);
  }

  static const std::vector<std::string> kGuarantees = {"none", "at-least-once", "exactly-once"};
  std::string guarantee = reader.String("sink.delivery-guarantee", "at-least-once");
  int choice = Choice(guarantee, kGuarantees);
  if (choice < 0) return BadChoice("sink.delivery-guarantee", guarantee, kGuarantees);
  out.guarantee = static_cast<KafkaDeliveryGuarantee>(choice);
  out.at_least_once = out.guarantee != KafkaDeliveryGuarantee::kNone;
  out.transactional_id_prefix = Trim(reader.String("sink.transactional-id-prefix", ""));
  if (out.transactional_id_prefix.find_first_of("\n\r") != std::string::npos) {
    return Status::InvalidOption("option 'sink.transactional-id-prefix' cannot contain a line end");
  }
  if (reader.Has("sink.commit.timeout")) {
    auto micros = ParseDuration(reader.String("sink.commit.timeout", ""));
    if (!micros.ok()) return micros.status().WithContext("option 'sink.commit.timeout'");
    if (*micros <= 0) {
      return Status::InvalidOption("option 'sink.commit.timeout' must be positive, got '" +
                                   reader.String("sink.commit.timeout", "") + "'");
    }
    out.commit_timeout_ms = std::max<int64_t>(1, *micros / 1000);
  }
  if (out.guarantee == KafkaDeliveryGuarantee::kExactlyOnce &&
      out.properties.count("transactional.id")) {
    return Status::InvalidOption(
        "table '" + table +
        "': 'properties.transactional.id' cannot be set with 'sink.delivery-guarantee' = "
        "'exactly-once'; the sink derives one per writer from 'sink.transactional-id-prefix'");
  }
  if (reader.Has("sink.parallelism")) {
    SLUICE_RETURN_IF_ERROR(reader.Int("sink.parallelism", 1, 1).status());
  }
  if (reader.Has("sink.buffer-flush.max-rows")) {
    SLUICE_RETURN_IF_ERROR(reader.Int("sink.buffer-flush.max-rows", 0, 0).status());
  }
  if (reader.Has("sink.buffer-flush.interval")) {
    auto micros = ParseDuration(reader.String("sink.buffer-flush.interval", ""));
    if (!micros.ok()) return micros.status().WithContext("option 'sink.buffer-flush.interval'");
  }

  DefaultSubject(out.value, out.topics[0], "-value");
  SLUICE_RETURN_IF_ERROR(out.value.format->make_encoder(out.value.schema, out.value.options)
                             .status()
                             .WithContext(out.key ? "value format" : "format"));
  if (out.key) {
    DefaultSubject(*out.key, out.topics[0], "-key");
    SLUICE_RETURN_IF_ERROR(out.key->format->make_encoder(out.key->schema, out.key->options)
                               .status()
                               .WithContext("key format"));
  }
  return out;
}

const std::vector<MetadataDef>& KafkaMetadataDefs() {
  static const std::vector<MetadataDef> kDefs = {
      {"topic", LogicalType::Varchar(), true, false, "Topic of the record."},
      {"partition", LogicalType::Int(), true, false, "Partition of the record."},
      {"offset", LogicalType::Bigint(), true, false, "Offset of the record in its partition."},
      {"timestamp", LogicalType::TimestampLtz(3), true, true,
       "Timestamp of the record (written: the message's CreateTime)."},
      {"timestamp-type", LogicalType::Varchar(), true, false,
       "'NoTimestampType', 'CreateTime' or 'LogAppendTime'."},
      {"leader-epoch", LogicalType::Int(), true, false,
       "Leader epoch of the record (NULL: not exposed by librdkafka 2.0)."},
  };
  return kDefs;
}

}  // namespace sluice
