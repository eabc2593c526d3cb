#include "common/did_you_mean.h"
#include "formats/avro/avro_format.h"
#include "formats/avro_confluent/avro_confluent_format.h"
#include "formats/csv/csv_format.h"
#include "formats/debezium_json/debezium_json_format.h"
#include "formats/format.h"
#include "formats/json/json_format.h"
#include "formats/raw/raw_format.h"

namespace sluice {

const std::vector<const FormatSpec*>& AllFormats() {
  static const std::vector<const FormatSpec*> kFormats = {&kJsonFormat, &kCsvFormat,
                                                          &kRawFormat,  &kDebeziumJsonFormat,
                                                          &kAvroFormat, &kAvroConfluentFormat};
  return kFormats;
}

Result<const FormatSpec*> FindFormat(std::string_view name) {
  std::vector<std::string> names;
  for (const FormatSpec* spec : AllFormats()) {
    if (spec->name == name) return spec;
    names.emplace_back(spec->name);
  }
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidOption("unknown format '" + std::string(name) + "'" +
                               DidYouMeanSuffix(name, names) + " (known formats: " + known + ")");
}

}  // namespace sluice
