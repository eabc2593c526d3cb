#pragma once
// MD5 digest (RFC 1321) for the MD5() SQL function.

#include <string>
#include <string_view>

namespace sluice {

/// 32 lower-case hex digits, as Flink's MD5().
std::string Md5Hex(std::string_view data);

}  // namespace sluice
