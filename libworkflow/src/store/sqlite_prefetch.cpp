// Read-ahead of a table's leaf pages (see sqlite_prefetch.hpp). The page layout is SQLite's
// file format (sqlite.org/fileformat.html, "B-tree Pages"): a table B-tree's interior page
// (type 5) holds a 12-byte header with the right-most child at bytes 8-11, then 2-byte cell
// offsets; each cell starts with its left child's 4-byte page number. Leaves are type 13.
#include "store/sqlite_prefetch.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

namespace workflow::detail {
namespace {

constexpr unsigned char kInteriorTable = 5, kLeafTable = 13;

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// The page's B-tree header starts after the 100-byte file header on page 1.
bool read_page(int fd, std::uint32_t page_size, std::uint32_t page, std::string& out,
               const unsigned char*& header) {
  out.resize(page_size);
  const off_t at = static_cast<off_t>(page - 1) * page_size;
  if (page == 0 || ::pread(fd, out.data(), page_size, at) != static_cast<ssize_t>(page_size)) {
    return false;
  }
  header = reinterpret_cast<const unsigned char*>(out.data()) + (page == 1 ? 100 : 0);
  return true;
}

}  // namespace

std::vector<PageRun> table_leaf_runs(int fd, std::uint32_t page_size, std::uint32_t root,
                                     std::uint32_t max_gap) {
  std::vector<std::uint32_t> level{root};
  struct stat st {};
  if (page_size == 0 || ::fstat(fd, &st) != 0) return {};
  const std::size_t max_pages = static_cast<std::size_t>(st.st_size) / page_size;
  std::string page;
  const unsigned char* h = nullptr;
  // Every leaf of a B-tree is at the same depth: once the first page of a level is a leaf,
  // the whole level is, and is read ahead rather than read here.
  for (int depth = 0;; ++depth) {
    // SQLite's trees are a few levels deep; deeper is a damaged page pointing back up.
    if (level.empty() || depth == 20) return {};
    if (!read_page(fd, page_size, level.front(), page, h)) return {};
    if (h[0] == kLeafTable) break;
    if (h[0] != kInteriorTable) return {};
    // The interior pages themselves: few (one per few hundred leaves), read in order.
    std::vector<std::uint32_t> next;
    for (const std::uint32_t p : level) {
      if (!read_page(fd, page_size, p, page, h) || h[0] != kInteriorTable) return {};
      const unsigned cells = (unsigned{h[3]} << 8) | h[4];
      const auto* base = reinterpret_cast<const unsigned char*>(page.data());
      // A damaged page may claim more cells than it holds: its pointers must fit in it, and
      // a level can name no more pages than the file has.
      if (static_cast<std::size_t>(h - base) + 12 + 2 * std::size_t{cells} > page_size ||
          next.size() + cells + 1 > max_pages) {
        return {};
      }
      for (unsigned i = 0; i < cells; ++i) {
        const unsigned offset = (unsigned{h[12 + 2 * i]} << 8) | h[13 + 2 * i];
        if (offset + 4 > page_size) return {};
        next.push_back(be32(base + offset));
      }
      next.push_back(be32(h + 8));
    }
    level = std::move(next);
  }
  std::vector<PageRun> runs;
  for (const std::uint32_t p : level) {
    if (!runs.empty()) {
      PageRun& last = runs.back();
      const std::uint32_t end = last.first + last.count;
      if (p >= last.first && p < end) continue;
      if (p >= end && p - end <= max_gap) {
        last.count = p - last.first + 1;
        continue;
      }
    }
    runs.push_back({p, 1});
  }
  return runs;
}

void read_ahead(int fd, std::uint32_t page_size, const std::vector<PageRun>& runs,
                const std::atomic<bool>& stop) {
  for (const PageRun& r : runs) {
    if (stop.load(std::memory_order_relaxed)) return;
    ::posix_fadvise(fd, static_cast<off_t>(r.first - 1) * page_size,
                    static_cast<off_t>(r.count) * page_size, POSIX_FADV_WILLNEED);
  }
}

}  // namespace workflow::detail
