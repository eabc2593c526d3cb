#pragma once
// Test-only connectors for the SQL behaviour tests:
//   'scripted' source: rows and explicit watermarks from the test file, in order, one split,
//                      one row per batch (so changelogs match Flink's record-at-a-time output).
//                      A row may carry a row kind ('+U 1, x'); rows without one are +I.
//   'scripted-upsert': the same rows from an upsert source (ConnectorSpec::changelog_source, as
//                      upsert-kafka): the table needs a PRIMARY KEY and is read through a
//                      ChangelogNormalize; its rows are written '+U ...' and '-D key, NULL, ...'.
//   'collect'  sink:   keeps every row written, in Flink's print format ("+I[...]").

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connectors/connector.h"

namespace sluice::sqltest {

/// One step of a scripted input: a row (values as written) or a watermark.
struct ScriptStep {
  bool is_watermark = false;
  int64_t watermark = 0;
  std::vector<std::string> values;  // "NULL" for SQL NULL
  std::optional<RowKind> kind;      // written before the values ("-D 1, NULL"); else +I
  int line = 0;
};

/// Inputs per table name (lower case), set by the runner before a job starts.
std::map<std::string, std::vector<ScriptStep>>& ScriptedInputs();

/// Rows collected by the 'collect' sink, in arrival order.
class CollectedRows {
 public:
  static CollectedRows& Instance();
  void Add(std::vector<std::string> rows);
  std::vector<std::string> Take();

 private:
  std::mutex mutex_;
  std::vector<std::string> rows_;
};

extern const ConnectorSpec kScriptedConnector;
extern const ConnectorSpec kScriptedUpsertConnector;
extern const ConnectorSpec kCollectConnector;

/// Parses one written value into a column of `type` ("NULL", numbers, '...' strings, timestamps).
Status AppendTextValue(const std::string& text, Column& column);

}  // namespace sluice::sqltest
