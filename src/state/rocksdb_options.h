#pragma once
// How every store's RocksDB is configured, and RocksDB statuses as sluice ones.

#include <rocksdb/options.h>
#include <rocksdb/status.h>

#include <string>

#include "common/status.h"
#include "state/rocksdb_environment.h"

namespace sluice {

/// Options of one store: the environment's cache, write buffer manager and TTL filter.
rocksdb::Options StoreOptions(const RocksDbEnvironment& env);

/// `what` says what was being done ("RocksDB write in /x/db").
Status FromRocks(const rocksdb::Status& status, const std::string& what);

}  // namespace sluice
