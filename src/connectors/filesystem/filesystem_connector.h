#pragma once
// 'connector' = 'filesystem': files of a text format, read (file_source.h) and written
// (file_sink.h) as Flink's filesystem connector.
//
//   path                                 Required. Source: a file or a directory. Sink: a
//                                        directory (created when missing).
//   format                               Required. 'json' or 'csv', plus that format's options.
//   source.monitor-interval              Accepted (a duration); the files present at the start
//                                        are read once, new files are not picked up.
//   sink.rolling-policy.file-size        Default: 128MB. Roll a part at this size.
//   sink.rolling-policy.rollover-interval  Default: 30 min. Roll a part open this long.
//   sink.rolling-policy.check-interval   Default: 1 min. Accepted; the rollover interval is
//                                        checked on every write.

#include "connectors/connector.h"

namespace sluice {

extern const ConnectorSpec kFilesystemConnector;

}  // namespace sluice
