#include "checkpoint/state_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace sluice {
namespace {

namespace fs = std::filesystem;

class StateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice-state-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string WriteSample() {
    std::string path = (dir_ / "op.heap").string();
    auto writer = StateFileWriter::Create(path);
    EXPECT_TRUE(writer.ok());
    EXPECT_TRUE((*writer)->AddSection("keys", std::string("\0\1\2abc", 6)).ok());
    EXPECT_TRUE((*writer)->AddSection("empty", "").ok());
    EXPECT_TRUE((*writer)->AddSection("values", std::string(100000, 'v')).ok());
    EXPECT_TRUE((*writer)->Finish().ok());
    return path;
  }

  std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void WriteAll(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  fs::path dir_;
};

TEST_F(StateFileTest, SectionsRoundTrip) {
  std::string path = WriteSample();
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  auto reader = StateFileReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(*(*reader)->Section("keys"), std::string_view("\0\1\2abc", 6));
  EXPECT_EQ(*(*reader)->Section("empty"), "");
  EXPECT_EQ((*reader)->Section("values")->size(), 100000u);
  EXPECT_EQ((*reader)->Section("missing").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ((*reader)->SectionNames(), (std::vector<std::string>{"empty", "keys", "values"}));
}

TEST_F(StateFileTest, AnUnfinishedWriterLeavesNothingBehind) {
  std::string path = (dir_ / "op.heap").string();
  {
    auto writer = StateFileWriter::Create(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->AddSection("keys", "abc").ok());
    EXPECT_FALSE((*writer)->AddSection("keys", "again").ok());
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(StateFileTest, EveryTruncationAndEveryFlippedByteIsDetected) {
  std::string path = WriteSample();
  const std::string good = ReadAll(path);
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string bad = good;
    if (i % 2 == 0) {
      bad.resize(rng() % good.size());
    } else {
      bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    }
    WriteAll(path, bad);
    auto reader = StateFileReader::Open(path);
    EXPECT_FALSE(reader.ok()) << "case " << i;
    if (!reader.ok()) {
      EXPECT_NE(reader.status().message().find(path), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace sluice
