#include "support/temp_dir.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/assertions.h"
#include "support/ports.h"

namespace kanal::testing {
namespace {

TEST(TempDirTest, RemovesItsTreeWhenDestroyed) {
  std::filesystem::path path;

  {
    TempDir dir("kanal-temp-dir-test");
    path = dir.path();
    std::filesystem::create_directories(dir / "a/b");
    ASSERT_TRUE(is_ok(write_file(dir / "a/b/file.txt", "content")));
    ASSERT_TRUE(std::filesystem::is_directory(path));
  }

  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempDirTest, HandsOwnershipOverWhenMoved) {
  TempDir first("kanal-temp-dir-test");
  const std::filesystem::path path = first.path();

  TempDir second(std::move(first));

  EXPECT_EQ(second.path(), path);
  EXPECT_TRUE(first.path().empty());
  EXPECT_TRUE(std::filesystem::is_directory(path));
}

TEST(ReadFileTest, ReturnsWhatWriteFileWrote) {
  TempDir dir;

  ASSERT_TRUE(is_ok(write_file(dir / "f", std::string("a\0b\n", 4))));
  Result<std::string> content = read_file(dir / "f");

  ASSERT_TRUE(is_ok(content));
  EXPECT_EQ(*content, std::string("a\0b\n", 4));
}

TEST(ReadFileTest, ReturnsIoErrorNamingThePathWhenFileIsMissing) {
  Result<std::string> content = read_file("/nonexistent/kanal/file");

  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), Status::Code::kIo);
  EXPECT_NE(content.status().message().find("/nonexistent/kanal/file"), std::string::npos);
}

TEST(TailOfFileTest, ReturnsOnlyTheLastLines) {
  TempDir dir;
  ASSERT_TRUE(is_ok(write_file(dir / "log", "1\n2\n3\n4\n")));

  EXPECT_EQ(tail_of_file(dir / "log", 2), "3\n4\n");
}

TEST(FreeTcpPortTest, ReturnsDistinctBindablePortsBelowTheEphemeralRange) {
  const uint16_t first = free_tcp_port();
  const uint16_t second = free_tcp_port();

  EXPECT_NE(first, second);
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int ephemeral_low = 32768;
  range >> ephemeral_low;
  EXPECT_LT(first, ephemeral_low);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(first);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
}

}  // namespace
}  // namespace kanal::testing
