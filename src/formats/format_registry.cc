#include "common/did_you_mean.h"
#include "formats/csv/csv_format.h"
#include "formats/format.h"
#include "formats/json/json_format.h"

namespace sluice {

const std::vector<const FormatSpec*>& AllFormats() {
  static const std::vector<const FormatSpec*> kFormats = {&kJsonFormat, &kCsvFormat};
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
