#pragma once
// FormatSpec: what each format folder exports (json/, csv/), and the one list of formats
// (format_registry.cc) that connectors with a 'format' option look formats up in.
//
// A format declares its WITH options ('json.ignore-parse-errors') so that connector option
// validation accepts them when that format is selected, and builds decoders and encoders for a
// physical schema. Option values are checked when a decoder or encoder is made.

#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "exec/plan/table_def.h"
#include "formats/record_decoder.h"
#include "formats/record_encoder.h"

namespace sluice {

struct FormatOptionDef {
  std::string_view key;
  std::string_view default_value;  // empty: no default
  std::string_view description;
};

struct FormatSpec {
  std::string_view name;            // the value of 'format'
  std::string_view file_extension;  // part files of the filesystem sink: "json"
  std::vector<FormatOptionDef> options;
  /// Records are framed by the transport (one Kafka message each), not by the bytes: binary
  /// formats (avro, avro-confluent, raw). SplitRecords() may not be used and Encode() appends no
  /// separator; a file sink refuses such a format.
  bool framed_by_transport = false;
  /// Decoded rows carry RowKinds (+I/-U/+U/-D): debezium-json. The table is then an updating
  /// (changelog) source for the planner.
  bool produces_changelog = false;
  Result<std::unique_ptr<RecordDecoder>> (*make_decoder)(const Schema& schema,
                                                         const Options& options) = nullptr;
  Result<std::unique_ptr<RecordEncoder>> (*make_encoder)(const Schema& schema,
                                                         const Options& options) = nullptr;
};

/// Every format, in format_registry.cc.
const std::vector<const FormatSpec*>& AllFormats();
/// The format named `name`, or an InvalidOption error listing the known ones (did-you-mean).
Result<const FormatSpec*> FindFormat(std::string_view name);

}  // namespace sluice
