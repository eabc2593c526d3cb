#include "formats/format.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(FormatRegistryTest, FindsFormatsAndSuggestsCloseNames) {
  auto json = FindFormat("json");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)->name, "json");
  EXPECT_EQ((*json)->file_extension, "json");
  ASSERT_TRUE(FindFormat("csv").ok());
  auto typo = FindFormat("jsn");
  EXPECT_EQ(typo.status().code(), ErrorCode::kInvalidOption);
  // The list of known formats grows: check its start only.
  EXPECT_EQ(typo.status().message().rfind(
                "unknown format 'jsn', did you mean 'json'? (known formats: json, csv", 0),
            0u)
      << typo.status().message();
}

}  // namespace
}  // namespace sluice
