#pragma once
// Test-only connectors for the SQL behaviour tests:
//   'scripted' source: rows and explicit watermarks from the test file, in order, one split,
//                      one row per batch (so changelogs match Flink's record-at-a-time output).
//   'collect'  sink:   keeps every row written, in Flink's print format ("+I[...]").

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "connectors/connector.h"

namespace sluice::sqltest {

/// One step of a scripted input: a row (values as written) or a watermark.
struct ScriptStep {
  bool is_watermark = false;
  int64_t watermark = 0;
  std::vector<std::string> values;  // "NULL" for SQL NULL
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
extern const ConnectorSpec kCollectConnector;

/// Parses one written value into a column of `type` ("NULL", numbers, '...' strings, timestamps).
Status AppendTextValue(const std::string& text, Column& column);

}  // namespace sluice::sqltest
