// detail::ChunkMemory: the blocks the big tables' chunks live in (2 MiB-aligned, whole
// blocks, zero-filled, asked for as huge pages). The huge pages themselves are the kernel's
// to give; what the tables rely on is checked here.
#include <doctest/doctest.h>

#include <cstdint>
#include <utility>

#include "support/chunk_memory.hpp"

using workflow::detail::ChunkMemory;

TEST_CASE("ChunkMemory: whole 2 MiB blocks at a 2 MiB boundary, zero-filled and writable") {
  for (const std::size_t asked : {std::size_t{1}, std::size_t{4096}, ChunkMemory::kBlock,
                                  ChunkMemory::kBlock + 1, 3 * ChunkMemory::kBlock - 7}) {
    CAPTURE(asked);
    ChunkMemory m(asked);
    REQUIRE(m.data() != nullptr);
    CHECK(m.size() == ChunkMemory::rounded(asked));
    CHECK(m.size() >= asked);
    CHECK(m.size() % ChunkMemory::kBlock == 0);
    CHECK(reinterpret_cast<std::uintptr_t>(m.data()) % ChunkMemory::kBlock == 0);
    std::size_t nonzero = 0;
    for (std::size_t i = 0; i < m.size(); i += 4093) nonzero += m.data()[i] != std::byte{0};
    CHECK(nonzero == 0);
    m.data()[0] = std::byte{1};
    m.data()[m.size() - 1] = std::byte{2};  // the last byte is the caller's too
    CHECK(m.data()[m.size() - 1] == std::byte{2});
  }
  CHECK(ChunkMemory::rounded(0) == 0);
  CHECK(ChunkMemory::rounded(ChunkMemory::kBlock * 2) == ChunkMemory::kBlock * 2);
}

TEST_CASE("ChunkMemory: a move hands the block over and leaves the source empty") {
  ChunkMemory a(100);
  a.data()[5] = std::byte{7};
  std::byte* const where = a.data();
  ChunkMemory b(std::move(a));
  CHECK(a.data() == nullptr);
  CHECK(a.size() == 0);
  CHECK(b.data() == where);
  CHECK(b.data()[5] == std::byte{7});
  ChunkMemory c(1);
  c = std::move(b);  // c's own block is given back
  CHECK(c.data() == where);
  CHECK(b.data() == nullptr);
}
