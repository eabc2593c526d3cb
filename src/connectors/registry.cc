// The one list of connectors, and the WITH-option checks every table goes through.

#include "common/did_you_mean.h"
#include "connectors/blackhole/blackhole_connector.h"
#include "connectors/connector.h"
#include "connectors/datagen/datagen_connector.h"
#include "connectors/duckdb/duckdb_connector.h"
#include "connectors/filesystem/filesystem_connector.h"
#include "connectors/kafka/kafka_connector.h"
#include "connectors/orders/orders_connector.h"
#include "connectors/print/print_connector.h"
#include "formats/format.h"

namespace sluice {

const std::vector<const ConnectorSpec*>& AllConnectors() {
  static const std::vector<const ConnectorSpec*> kConnectors = {
      &kDatagenConnector,   &kOrdersConnector, &kFilesystemConnector, &kPrintConnector,
      &kBlackholeConnector, &kDuckDbConnector, &kKafkaConnector,      &kUpsertKafkaConnector,
  };
  return kConnectors;
}

Result<const ConnectorSpec*> FindConnector(std::string_view name) {
  std::vector<std::string> names;
  for (const ConnectorSpec* spec : AllConnectors()) {
    if (spec->name == name) return spec;
    names.emplace_back(spec->name);
  }
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidOption("unknown connector '" + std::string(name) + "'" +
                               DidYouMeanSuffix(name, names) + " (known connectors: " + known +
                               ")");
}

Result<const ConnectorSpec*> FindConnector(std::string_view name,
                                           const std::vector<const ConnectorSpec*>& extra) {
  for (const ConnectorSpec* spec : extra) {
    if (spec && spec->name == name) return spec;
  }
  return FindConnector(name);
}

bool ProducesChangelog(const TableDef& table, const ConnectorSpec* connector) {
  if (connector && connector->changelog_source) return true;
  for (const char* key : {"format", "value.format"}) {
    auto it = table.options.find(key);
    if (it == table.options.end()) continue;
    auto format = FindFormat(it->second);
    if (format.ok() && (*format)->produces_changelog) return true;
  }
  return false;
}

namespace {

// Does `key` match the declared `pattern`, where a '#' in the pattern stands for one of
// `columns`? Sets *column to the part that stood for '#' when the rest matched.
bool MatchesPattern(std::string_view pattern, std::string_view key,
                    const std::vector<std::string>& columns, std::string_view* column) {
  // A trailing '*' stands for any non-empty rest ('properties.*': client settings).
  if (!pattern.empty() && pattern.back() == '*') {
    std::string_view prefix = pattern.substr(0, pattern.size() - 1);
    return key.size() > prefix.size() && key.substr(0, prefix.size()) == prefix;
  }
  size_t hash = pattern.find('#');
  if (hash == std::string_view::npos) return pattern == key;
  std::string_view prefix = pattern.substr(0, hash);
  std::string_view suffix = pattern.substr(hash + 1);
  if (key.size() <= prefix.size() + suffix.size() || key.substr(0, prefix.size()) != prefix ||
      key.substr(key.size() - suffix.size()) != suffix) {
    return false;
  }
  *column = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
  for (const auto& c : columns) {
    if (c == *column) return true;
  }
  return false;
}

// Every concrete key a table could use: patterns expanded with its column names.
void AddCandidates(std::string_view pattern, const std::vector<std::string>& columns,
                   std::vector<std::string>* out) {
  if (!pattern.empty() && pattern.back() == '*') return;
  size_t hash = pattern.find('#');
  if (hash == std::string_view::npos) {
    out->emplace_back(pattern);
    return;
  }
  for (const auto& c : columns) {
    out->push_back(std::string(pattern.substr(0, hash)) + c +
                   std::string(pattern.substr(hash + 1)));
  }
}

const OptionDef* FindOptionDef(const ConnectorSpec& spec, std::string_view key) {
  for (const OptionDef& def : spec.options) {
    if (def.key == key) return &def;
  }
  return nullptr;
}

}  // namespace

// A format a table selected, and the prefix its options carry: '' for 'format' ('json.*'),
// 'value.' / 'key.' for Kafka's 'value.format' / 'key.format' ('value.json.*', as Flink).
struct SelectedFormat {
  const FormatSpec* format;
  std::string prefix;
};

Status ValidateOptions(const ConnectorSpec& spec, const TableDef& table) {
  std::vector<std::string> columns;
  for (int i : table.PhysicalColumnIndices()) columns.push_back(table.columns[i].field.name);

  // The selected formats' options are accepted too.
  std::vector<SelectedFormat> selected;
  for (std::string_view option : {"format", "value.format", "key.format"}) {
    const OptionDef* def = FindOptionDef(spec, option);
    if (!def) continue;
    auto it = table.options.find(std::string(option));
    std::string_view name =
        it != table.options.end() ? std::string_view(it->second) : def->default_value;
    if (name.empty()) continue;
    auto format = FindFormat(name);
    if (!format.ok()) {
      return option == "format"
                 ? format.status()
                 : format.status().WithContext("option '" + std::string(option) + "'");
    }
    std::string prefix =
        option == "format" ? "" : std::string(option.substr(0, option.find('.') + 1));
    selected.push_back({*format, std::move(prefix)});
  }
  auto selected_by = [&](std::string_view prefix) -> const SelectedFormat* {
    for (const SelectedFormat& s : selected) {
      if (s.prefix == prefix) return &s;
    }
    return nullptr;
  };

  for (const auto& [key, value] : table.options) {
    if (key == "connector") continue;
    bool known = false;
    std::string_view column;
    for (const OptionDef& def : spec.options) {
      if (MatchesPattern(def.key, key, columns, &column)) {
        known = true;
        break;
      }
    }
    if (known) continue;
    for (const SelectedFormat& s : selected) {
      for (const FormatOptionDef& def : s.format->options) {
        if (key.size() == s.prefix.size() + def.key.size() && key.starts_with(s.prefix) &&
            std::string_view(key).substr(s.prefix.size()) == def.key) {
          known = true;
        }
      }
    }
    if (known) continue;
    // A key of another format is a clearer mistake than a typo.
    for (std::string_view prefix : {"", "value.", "key."}) {
      if (!key.starts_with(prefix)) continue;
      if (!prefix.empty() && !FindOptionDef(spec, std::string(prefix) + "format")) continue;
      std::string_view rest = std::string_view(key).substr(prefix.size());
      const SelectedFormat* mine = selected_by(prefix);
      for (const FormatSpec* other : AllFormats()) {
        if (mine && other == mine->format) continue;
        for (const FormatOptionDef& def : other->options) {
          if (def.key != rest) continue;
          const SelectedFormat* value_format = selected_by("value.");
          if (prefix.empty() && !mine && value_format && value_format->format == other) {
            return Status::InvalidOption("option '" + key + "' must be written 'value." + key +
                                         "' when the format is chosen with 'value.format'");
          }
          std::string side =
              prefix.empty() ? "" : std::string(prefix.substr(0, prefix.size() - 1)) + " ";
          return Status::InvalidOption(
              "option '" + key + "' belongs to format '" + std::string(other->name) +
              "', but the table's " + side + "format is " +
              (mine ? "'" + std::string(mine->format->name) + "'" : std::string("not set")));
        }
      }
    }
    std::vector<std::string> candidates;
    for (const OptionDef& def : spec.options) AddCandidates(def.key, columns, &candidates);
    for (const SelectedFormat& s : selected) {
      for (const FormatOptionDef& def : s.format->options) {
        candidates.push_back(s.prefix + std::string(def.key));
      }
    }
    return Status::InvalidOption("unknown option '" + key + "' for connector '" +
                                 std::string(spec.name) + "'" + DidYouMeanSuffix(key, candidates));
  }

  for (const OptionDef& def : spec.options) {
    if (def.required && table.options.find(std::string(def.key)) == table.options.end()) {
      return Status::InvalidOption("connector '" + std::string(spec.name) + "' needs option '" +
                                   std::string(def.key) + "'");
    }
  }
  return Status::OK();
}

}  // namespace sluice
